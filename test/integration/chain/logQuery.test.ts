// chain.getLogs on its storage paths against a brute-force scan (every block's receipts through the
// one matcher), on seeded random blocks, logs and filters: the address index with its block stamps,
// the log block entries of a topic-only scan, and the header reads for the blocks of a datadir
// written before schema 2 (no log block entries, empty address index values), upgraded on open.
import t from 'tap'
import type { Test } from 'tap'
import { join } from 'node:path'
import { createAddressFromString, createAddressFromPrivateKey, bytesToHex, intToBytes } from '@ethereumjs/util'
import type { Address } from '@ethereumjs/util'
import type { TypedTransaction } from '@ethereumjs/tx'
import { CHAIN_ERROR, createChain } from '../../../node/chain/index.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { SCHEMA_VERSION, chainKeys } from '../../../node/chain/chainKeys.ts'
import { dbGet, openDatabase } from '../../../node/db/index.ts'
import { matchLog } from '../../../runtime/index.ts'
import type { LocatedLog, LogFilter } from '../../../runtime/index.ts'
import type { Hex } from '../../../genesis/index.ts'
import { createPrng } from '../../fixtures/chain/prng.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { createTestSpec, signed1559, testAccounts } from '../../fixtures/chain/testSpec.ts'

type Prng = ReturnType<typeof createPrng>

const hexByte = (n: number): string => n.toString(16).padStart(2, '0')

/** LOG<k> with topics from calldata words 0..k-1 and the rest of calldata as data. */
function emitCode(k: number): string {
  let code = ''
  for (let i = k - 1; i >= 0; i--) code += `60${hexByte(32 * i)}35` // PUSH1 32i CALLDATALOAD
  code += `60${hexByte(32 * k)}3603` // CALLDATASIZE - 32k
  code += `8060${hexByte(32 * k)}600037` // CALLDATACOPY(0, 32k, size)
  return `${code}6000${hexByte(0xa0 + k)}` // LOGk(0, size, topics)
}

// two emitters for each topic count; one that logs twice in a tx (LOG2, then LOG1); one that logs then reverts
const emitters = Array.from({ length: 10 }, (_, i) => ({ address: `0x${'e0'.repeat(19)}${hexByte(i)}` as Hex, topics: i % 5, code: `0x${emitCode(i % 5)}00` }))
const twice = { address: `0x${'e1'.repeat(20)}` as Hex, topics: 2, code: `0x${emitCode(2)}${emitCode(1)}00` }
const reverting = { address: `0x${'e2'.repeat(20)}` as Hex, topics: 1, code: `0x${emitCode(1)}600080fd` }
const contracts = [...emitters, twice, reverting]
const senders = testAccounts(4, 'log-query')
const spec = createTestSpec({
  accounts: senders,
  extraAlloc: Object.fromEntries(contracts.map((c) => [c.address, { balance: 0n, code: c.code as Hex }])),
})
/** a small topic pool, so filters hit */
const TOPICS = Array.from({ length: 4 }, (_, i) => new Uint8Array(32).fill(0x71 + i))
const sink = createAddressFromString(`0x${'55'.repeat(20)}`)

/**
 * Blocks of random txs: transfers (no logs), emitter calls with random topics and data, empty
 * blocks; the last one has logs (it sits next to the upgrade boundary of the schema-1 case).
 */
async function buildRandomBlocks(t: Test, chain: Chain, prng: Prng, count: number, nonces: bigint[]): Promise<void> {
  for (let b = 0; b < count; b++) {
    const txs: TypedTransaction[] = []
    for (let k = b === count - 1 ? 1 : prng.int(5); k > 0; k--) {
      const s = prng.int(senders.length)
      const sender = senders[s] as (typeof senders)[0]
      const nonce = nonces[s] as bigint
      nonces[s] = nonce + 1n
      if (b < count - 1 && prng.int(4) === 0) {
        txs.push(signed1559(chain.common, sender, { nonce, to: sink, value: 1n }))
        continue
      }
      const c = b === count - 1 ? twice : prng.pick(contracts)
      const words = Array.from({ length: c.topics }, () => prng.pick(TOPICS))
      const data = Uint8Array.from({ length: prng.pick([0, 1, 7, 32, 40]) }, () => prng.int(256))
      txs.push(
        signed1559(chain.common, sender, {
          nonce,
          to: createAddressFromString(c.address),
          data: Uint8Array.from([...words.flatMap((w) => [...w]), ...data]),
          gasLimit: 100_000n,
        }),
      )
    }
    const head = chain.head().header
    const { rejected } = await chain.buildBlock(txs, { timestamp: head.timestamp + 1n + BigInt(prng.int(3)) })
    if (rejected.length > 0) t.fail(`block ${head.number + 1n}: ${rejected.length} txs rejected`)
  }
}

function randomFilter(prng: Prng, head: number): LogFilter {
  const fromBlock = BigInt(prng.int(head + 3))
  const filter: LogFilter = { fromBlock, toBlock: fromBlock + BigInt(prng.int(head + 3)) }
  if (prng.int(5) < 3) {
    const candidates: Address[] = [...contracts.map((c) => createAddressFromString(c.address)), sink, (senders[0] as (typeof senders)[0]).address]
    filter.addresses = Array.from({ length: 1 + prng.int(3) }, () => prng.pick(candidates).bytes)
  }
  if (prng.int(2) === 0) {
    filter.topics = Array.from({ length: prng.int(6) }, () => {
      const kind = prng.int(4)
      if (kind === 0) return null
      if (kind === 1) return prng.pick(TOPICS)
      return Array.from({ length: kind === 2 ? 0 : 1 + prng.int(3) }, () => prng.pick(TOPICS))
    })
  }
  return filter
}

/** Every log of the canonical blocks in the filter's range that matchLog accepts, block by block. */
async function bruteForce(chain: Chain, filter: LogFilter): Promise<LocatedLog[]> {
  const out: LocatedLog[] = []
  const head = chain.head().header.number
  for (let n = filter.fromBlock; n <= filter.toBlock && n <= head; n++) {
    const block = await chain.getBlockByNumber(n)
    const receipts = block === undefined ? undefined : await chain.getReceipts(block.hash())
    if (block === undefined || receipts === undefined) throw new Error(`block ${n} missing`)
    for (const r of receipts) {
      for (const l of r.logs) {
        if (!matchLog(filter, l.address, l.topics)) continue
        out.push({ ...l, blockNumber: n, blockHash: block.hash(), blockTimestamp: block.header.timestamp, txHash: r.txHash, txIndex: r.txIndex })
      }
    }
  }
  return out
}

/** Logs as text: compares fast and shows a readable difference. */
const show = (logs: LocatedLog[]): string[] =>
  logs.map((l) =>
    [
      l.blockNumber,
      bytesToHex(l.blockHash),
      l.blockTimestamp,
      l.txIndex,
      bytesToHex(l.txHash),
      l.logIndex,
      bytesToHex(l.address),
      l.topics.map(bytesToHex).join('/'),
      bytesToHex(l.data),
    ].join(' '),
  )

async function checkRandomFilters(t: Test, chain: Chain, seed: number, count: number, name: string): Promise<number> {
  const prng = createPrng(seed)
  const head = Number(chain.head().header.number)
  let found = 0
  for (let i = 0; i < count; i++) {
    const filter = randomFilter(prng, head)
    const want = show(await bruteForce(chain, filter))
    found += want.length
    t.same(
      show(await chain.getLogs(filter)),
      want,
      `${name}: filter ${i} (${filter.fromBlock}..${filter.toBlock}, ${filter.addresses?.length ?? 0} addresses, ${filter.topics?.length ?? 'no'} topics)`,
    )
  }
  return found
}

/** Raw view of a closed chain's LevelDB. */
async function withDb<T>(dataDir: string, fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(join(dataDir, 'chaindata'))
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

const range = (prefix: number) => ({ gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) })
const LOG_INDEX = range(0x61)
const LOG_BLOCKS = range(0x6c)

t.test('getLogs equals a brute-force scan: fresh datadir, then one written before schema 2', async (t) => {
  const dataDir = join(await tempDir(t), 'node')
  const prng = createPrng(424243)
  const nonces = senders.map(() => 0n)
  let chain = await createChain({ dataDir, spec })
  await buildRandomBlocks(t, chain, prng, 40, nonces)
  const oldHead = chain.head().header.number
  const found = await checkRandomFilters(t, chain, 1, 250, 'schema 2')
  t.ok(found > 250, `the filters matched ${found} logs`)

  // what a block without logs leaves: no log block entry
  const withLogs: bigint[] = []
  for (let n = 0n; n <= oldHead; n++) {
    const block = await chain.getBlockByNumber(n)
    const receipts = block === undefined ? [] : ((await chain.getReceipts(block.hash())) ?? [])
    if (receipts.some((r) => r.logs.length > 0)) withLogs.push(n)
  }
  t.ok(withLogs.length > 5 && withLogs.length < Number(oldHead), `${withLogs.length} of ${oldHead} blocks have logs`)
  await chain.close()
  await withDb(dataDir, async (db) => {
    const entries = await db.keys(LOG_BLOCKS).all()
    t.same(
      entries.map((k) => new DataView(k.buffer, k.byteOffset + 1, 8).getBigUint64(0)),
      withLogs,
      'a log block entry for exactly the blocks with logs',
    )
    // rewrite the datadir as the previous layout left it: no entries, empty index values, schema 1
    const index = await db.keys(LOG_INDEX).all()
    await db.batch([
      ...entries.map((key) => ({ type: 'del' as const, key })),
      ...index.map((key) => ({ type: 'put' as const, key, value: new Uint8Array(0) })),
      { type: 'del', key: chainKeys.logBlocksFrom },
      { type: 'put', key: chainKeys.schema, value: intToBytes(1) },
    ])
  })

  chain = await createChain({ dataDir, spec })
  await checkRandomFilters(t, chain, 1, 250, 'schema 1 datadir, upgraded')
  await buildRandomBlocks(t, chain, prng, 15, nonces)
  await checkRandomFilters(t, chain, 2, 250, 'blocks before and after the upgrade')
  await chain.close()
  await withDb(dataDir, async (db) => {
    t.equal((await dbGet(db, chainKeys.schema))?.[0], SCHEMA_VERSION, 'the schema is raised on open')
    const from = await dbGet(db, chainKeys.logBlocksFrom)
    t.equal(
      from === undefined ? undefined : new DataView(from.buffer, from.byteOffset, 8).getBigUint64(0),
      oldHead + 1n,
      'log block entries from the block after the old head',
    )
  })
  chain = await createChain({ dataDir, spec })
  t.teardown(() => chain.close())
  await checkRandomFilters(t, chain, 3, 100, 'reopened after the upgrade')
})

t.test('a damaged log block entry or an unknown schema is CHAIN_ERROR_CORRUPT', async (t) => {
  const dataDir = join(await tempDir(t), 'node')
  const chain = await createChain({ dataDir, spec })
  const sender = senders[0] as (typeof senders)[0]
  const emitter = emitters[1] as (typeof emitters)[0]
  const data = TOPICS[0] as Uint8Array
  await chain.buildBlock([signed1559(chain.common, sender, { nonce: 0n, to: createAddressFromString(emitter.address), data, gasLimit: 100_000n })], {
    timestamp: spec.timestamp + 1n,
  })
  t.equal((await chain.getLogs({ fromBlock: 0n, toBlock: 1n })).length, 1)
  await chain.close()
  await withDb(dataDir, (db) => db.put(chainKeys.logBlock(1n), new Uint8Array(40)))
  const damaged = await createChain({ dataDir, spec })
  await t.rejects(damaged.getLogs({ fromBlock: 0n, toBlock: 1n }), { code: CHAIN_ERROR.CORRUPT }, 'topic-only scan over a damaged entry')
  t.equal(
    (
      await damaged.getLogs({
        fromBlock: 0n,
        toBlock: 1n,
        addresses: [createAddressFromPrivateKey(sender.key).bytes, createAddressFromString(emitter.address).bytes],
      })
    ).length,
    1,
    'the address index does not need it',
  )
  await damaged.close()
  await withDb(dataDir, (db) => db.put(chainKeys.schema, intToBytes(SCHEMA_VERSION + 1)))
  await t.rejects(createChain({ dataDir, spec }), { code: CHAIN_ERROR.CORRUPT }, 'a newer schema is refused')
})
