// kill -9 a block-producing child at seeded moments; after each kill the reopened datadir must
// hold exactly the last committed block with its complete state (every trie node, storage trie
// and code blob present and hash-consistent), and that block must re-execute to the same state
// root on a fresh in-memory node. The same with rewinds (--dev evm_revert) between the blocks: the
// head is the last committed step, and no entry of a removed block is left.
import t from 'tap'
import type { Test } from 'tap'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBlockFromRLP, createBlockHeaderFromRLP } from '@ethereumjs/block'
import { bigIntToBytes, bytesToHex, createContractAddress, equalsBytes, setLengthLeft } from '@ethereumjs/util'
import { RLP } from '@ethereumjs/rlp'
import { keccak_256 as keccak256 } from '@noble/hashes/sha3.js'
import { chainParams, createChainCommon, executeBlock } from '../../../runtime/index.ts'
import { createChain } from '../../../node/chain/index.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { chainKeys } from '../../../node/chain/chainKeys.ts'
import { decodeBlockStamp, decodeLogBlock } from '../../../node/chain/logBlockCodec.ts'
import { decodeReceipts } from '../../../node/chain/receiptCodec.ts'
import { dbGet, openDatabase } from '../../../node/db/index.ts'
import { createFastCrypto } from '../../../node/crypto/index.ts'
import { memoryRuntime } from '../../fixtures/chain/memoryChain.ts'
import { createPrng } from '../../fixtures/chain/prng.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { crashAccounts, crashSpec } from '../../fixtures/chain/crashWorkload.ts'
import { genesisSupply, signed1559 } from '../../fixtures/chain/testSpec.ts'
import { TOKEN_SLOTS } from '../../fixtures/contracts/token.ts'
import { walkState } from '../helpers/stateWalk.ts'

const fixture = fileURLToPath(new URL('../../fixtures/chain/crashLoop.ts', import.meta.url))
const KILLS = 5
/** ERC-20 supply the child deploys (crash account 0 holds it, then pays it out in every block) */
const TOKEN_SUPPLY = 1_000_000_000n
const TOKEN = createContractAddress(crashAccounts[0]!.address, 0n)
/** keccak256 of a slot number: storage trie keys are hashed */
const slotKey = (slot: number): string => bytesToHex(keccak256(setLengthLeft(bigIntToBytes(BigInt(slot)), 32)))
const TOTAL_SUPPLY_KEY = slotKey(TOKEN_SLOTS.totalSupply)
/** the token's slots that hold no balance: totalSupply, name and symbol (no allowance is set) */
const NOT_BALANCES = new Set([TOTAL_SUPPLY_KEY, slotKey(TOKEN_SLOTS.name), slotKey(TOKEN_SLOTS.symbol)])

/**
 * Run the block loop in a child (with `rewind`, rewinding every third block by two); SIGKILL it
 * after `afterBlocks` reports plus `extraMs`. Returns the head the last report named.
 */
function runAndKill(
  dataDir: string,
  afterBlocks: number,
  extraMs: number,
  children: Set<ChildProcess>,
  mode: 'build' | 'rewind' = 'build',
): Promise<{ lastReported: bigint; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', fixture, dataDir, String(TOKEN_SUPPLY), ...(mode === 'rewind' ? ['rewind'] : [])]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    children.add(child)
    let lastReported = -1n
    let seen = 0
    let buffered = ''
    let stderr = ''
    let killScheduled = false
    const deadline = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`child made no progress: ${stderr}`))
    }, 120_000)
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        const m = /^(?:committed|rewound) (\d+)/.exec(line)
        if (m === null) continue
        lastReported = BigInt(m[1] as string)
        seen++
        if (seen >= afterBlocks && !killScheduled) {
          killScheduled = true
          // a seeded delay lands the kill anywhere in the next block: execution, batch write, print
          setTimeout(() => child.kill('SIGKILL'), extraMs)
        }
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline)
      children.delete(child)
      if (signal !== 'SIGKILL') reject(new Error(`child exited on its own (${_code}): ${stderr}`))
      else resolve({ lastReported, signal })
    })
  })
}

/**
 * The complete head state, walked node by node from the store of the just-reopened chain (its
 * caches hold nothing this process wrote): nothing missing, everything hash-consistent, OPEN and
 * token supplies conserved.
 */
async function checkHeadState(t: Test, chain: Chain, round: number): Promise<void> {
  const head = chain.head()
  const walk = await walkState(await chain.stateAt(head.header.number), head.header.stateRoot)
  t.same(walk.problems, [], `round ${round}: every trie node, storage trie and code blob is present and hash-consistent`)
  t.ok(walk.hashedNodes > walk.accounts, `round ${round}: walked ${walk.hashedNodes} nodes, ${walk.accounts} accounts, ${walk.storageTries} storage tries`)
  t.equal(walk.totalBalance, genesisSupply(crashSpec), `round ${round}: the balances of all ${walk.accounts} accounts sum to the genesis supply`)
  const slots = walk.storage.get(bytesToHex(keccak256(TOKEN.bytes)))
  t.ok(slots !== undefined && slots.size > 2, `round ${round}: the token's storage trie is there (${slots?.size ?? 0} slots)`)
  t.equal(walk.codeBlobs, 1, `round ${round}: the token's code is there`)
  let balances = 0n
  for (const [key, value] of slots ?? []) if (!NOT_BALANCES.has(key)) balances += value
  t.equal(slots?.get(TOTAL_SUPPLY_KEY), TOKEN_SUPPLY, `round ${round}: totalSupply slot intact`)
  t.equal(balances, TOKEN_SUPPLY, `round ${round}: token balances sum to totalSupply`)
}

/**
 * Straight after a kill, on the raw LevelDB: the log query entries are exactly those of the
 * canonical blocks up to the head pointer (an entry of the killed block would sit above it): a log
 * block entry ('l') for each block with logs, with its hash, timestamp and bloom, and an address
 * index entry ('a') for each log, valued with its block's hash and timestamp.
 */
async function checkLogEntries(t: Test, dataDir: string, common: ReturnType<typeof createChainCommon>, round: number): Promise<void> {
  const db = await openDatabase(join(dataDir, 'chaindata'))
  try {
    const head = await dbGet(db, chainKeys.head)
    const all = (prefix: number) => db.iterator({ gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) }).all()
    const canonical = await all(0x6e)
    t.ok(head !== undefined && equalsBytes(canonical.at(-1)?.[1] ?? new Uint8Array(), head), `round ${round}: the last canonical number holds the head`)
    const wantBlocks: string[] = []
    const wantIndex: string[] = []
    for (const [i, [, hash]] of canonical.entries()) {
      const header = createBlockHeaderFromRLP((await dbGet(db, chainKeys.header(hash))) ?? new Uint8Array(), { common, params: chainParams(crashSpec) })
      const receipts = decodeReceipts((await dbGet(db, chainKeys.receipts(hash))) ?? new Uint8Array(), common)
      const stamp = `${bytesToHex(hash)} ${header.timestamp}`
      if (receipts.some((r) => r.logs.length > 0)) wantBlocks.push(`${i} ${stamp} ${bytesToHex(header.logsBloom)}`)
      for (const r of receipts) for (const l of r.logs) wantIndex.push(`${bytesToHex(l.address)} ${i} ${l.logIndex} ${stamp}`)
    }
    const number = (key: Uint8Array, at: number) => new DataView(key.buffer, key.byteOffset + at, 8).getBigUint64(0)
    const blocks = (await all(0x6c)).map(([key, value]) => {
      const b = decodeLogBlock(new Uint8Array(value))
      return `${number(key, 1)} ${bytesToHex(b.hash)} ${b.timestamp} ${bytesToHex(b.logsBloom)}`
    })
    const index = (await all(0x61)).map(([key, value]) => {
      const s = decodeBlockStamp(new Uint8Array(value))
      return `${bytesToHex(key.subarray(1, 21))} ${number(key, 21)} ${new DataView(key.buffer, key.byteOffset + 29, 4).getUint32(0)} ${bytesToHex(s.hash)} ${s.timestamp}`
    })
    t.ok(wantBlocks.length > 0, `round ${round}: ${wantBlocks.length} blocks with logs (token transfers), ${wantIndex.length} logs`)
    t.same(blocks, wantBlocks, `round ${round}: a log block entry for each block with logs up to the head, none above`)
    t.same(index.sort(), wantIndex.sort(), `round ${round}: an address index entry for each log up to the head, none above`)
  } finally {
    await db.close()
  }
}

/**
 * A fresh in-memory node re-executes the chain from the blocks' RLP (runBlock via the validator
 * path), the head block last: its state root must be the stored head's.
 */
async function checkReexecution(t: Test, chain: Chain, common: ReturnType<typeof createChainCommon>, round: number): Promise<void> {
  const { runtime, reader } = await memoryRuntime(crashSpec, common)
  const head = chain.head()
  for (let n = 1n; n <= head.header.number; n++) {
    const stored = await chain.getBlockByNumber(n)
    if (stored === undefined) throw new Error(`round ${round}: block ${n} missing`)
    const block = createBlockFromRLP(stored.serialize(), { common, params: chainParams(crashSpec) })
    const executed = await executeBlock(runtime, block)
    reader.add(executed.block.header)
  }
  const root = await runtime.stateManager.getStateRoot()
  t.equal(bytesToHex(root), bytesToHex(head.header.stateRoot), `round ${round}: head block ${head.header.number} re-executes to its state root on a fresh node`)
}

/** A datadir in a temp dir, the children to kill at teardown, a seeded PRNG and the chain's Common. */
async function crashSetup(t: Test, seed: number) {
  const dir = await tempDir(t)
  const children = new Set<ChildProcess>()
  t.teardown(() => {
    for (const c of children) c.kill('SIGKILL')
  })
  const common = createChainCommon(crashSpec, { customCrypto: (await createFastCrypto()).crypto })
  return { dataDir: join(dir, 'node'), children, prng: createPrng(seed), common }
}

t.test('kill -9 during block production never exposes a half-written block', async (t) => {
  const { dataDir, children, prng, common } = await crashSetup(t, 424242)
  let previousHead = 0n
  for (let round = 1; round <= KILLS; round++) {
    const afterBlocks = 1 + prng.int(4)
    const extraMs = prng.int(40)
    const { lastReported } = await runAndKill(dataDir, afterBlocks, extraMs, children)
    await checkLogEntries(t, dataDir, common, round)
    const chain = await createChain({ dataDir, spec: crashSpec })
    const head = chain.head()
    const n = head.header.number
    t.ok(n >= lastReported && n <= lastReported + 1n, `round ${round}: head ${n} is the last committed block (reported ${lastReported})`)
    t.ok(n > previousHead, `round ${round}: progress`)
    await checkHeadState(t, chain, round)
    await checkReexecution(t, chain, common, round)
    // receipts and tx index of every block since the previous round are consistent
    for (let b = previousHead + 1n; b <= n; b++) {
      const block = await chain.getBlockByNumber(b)
      const receipts = block === undefined ? undefined : await chain.getReceipts(block.hash())
      t.ok(block !== undefined && receipts !== undefined && receipts.length === block.transactions.length, `round ${round}: block ${b} has its receipts`)
      t.ok(
        receipts?.every((r) => r.status === 1),
        `round ${round}: block ${b}: every tx (token transfers included) succeeded`,
      )
      const lastTx = block?.transactions.at(-1)
      const loc = lastTx === undefined ? undefined : await chain.getTxLocation(lastTx.hash())
      t.ok(loc !== undefined && block !== undefined && equalsBytes(loc.blockHash, block.hash()), `round ${round}: block ${b} tx index`)
    }
    // nothing of the killed, uncommitted block is visible
    t.equal(await chain.getBlockByNumber(n + 1n), undefined, `round ${round}: no block above the head`)
    // production continues on the recovered head
    const sender = crashAccounts[1] as (typeof crashAccounts)[0]
    const state = await chain.stateAt(n)
    const nonce = (await state.getAccount(sender.address))?.nonce ?? 0n
    const next = await chain.buildBlock([signed1559(chain.common, sender, { nonce, to: sender.address, value: 1n })], { timestamp: head.header.timestamp + 1n })
    t.equal(next.block.transactions.length, 1, `round ${round}: a new block builds on the recovered head`)
    previousHead = next.block.header.number
    await chain.close()
  }
})

/** Every tx index entry ('t') names a canonical block up to the head, and every tx of those blocks has one. */
async function checkTxIndex(t: Test, dataDir: string, common: ReturnType<typeof createChainCommon>, round: number): Promise<void> {
  const db = await openDatabase(join(dataDir, 'chaindata'))
  try {
    const canonical = await db.iterator({ gte: Uint8Array.of(0x6e), lt: Uint8Array.of(0x6f) }).all()
    const want: string[] = []
    for (const [, hash] of canonical) {
      const block = createBlockFromRLP((await dbGet(db, chainKeys.block(hash))) ?? new Uint8Array(), { common, params: chainParams(crashSpec) })
      for (const tx of block.transactions) want.push(`${bytesToHex(tx.hash())} ${bytesToHex(hash)}`)
    }
    const entries = await db.iterator({ gte: Uint8Array.of(0x74), lt: Uint8Array.of(0x75) }).all()
    const found = entries.map(([key, value]) => `${bytesToHex(key.subarray(1))} ${bytesToHex(RLP.decode(value)[0] as Uint8Array)}`)
    t.same(found.sort(), want.sort(), `round ${round}: a tx index entry for each tx of the canonical blocks (${want.length}), none of a removed block`)
    const blocks = await db.iterator({ gte: Uint8Array.of(0x62), lt: Uint8Array.of(0x63) }).all()
    t.equal(blocks.length, canonical.length, `round ${round}: no block body above the head or off the chain`)
  } finally {
    await db.close()
  }
}

t.test('kill -9 while blocks are built and rewound (--dev evm_revert): the old head or the new one, never a broken datadir', async (t) => {
  const { dataDir, children, prng, common } = await crashSetup(t, 777)
  for (let round = 1; round <= KILLS; round++) {
    // enough reports to pass a rewind (every third block) before the kill lands
    const afterBlocks = 3 + prng.int(5)
    const extraMs = prng.int(40)
    const { lastReported } = await runAndKill(dataDir, afterBlocks, extraMs, children, 'rewind')
    await checkLogEntries(t, dataDir, common, round)
    await checkTxIndex(t, dataDir, common, round)
    const chain = await createChain({ dataDir, spec: crashSpec })
    const n = chain.head().header.number
    // the next step after the last report: a block (+1) or, after every third build, a rewind (-2)
    t.ok(
      n === lastReported || n === lastReported + 1n || n === lastReported - 2n,
      `round ${round}: head ${n} is the last committed step (reported ${lastReported})`,
    )
    await checkHeadState(t, chain, round)
    await checkReexecution(t, chain, common, round)
    t.equal(await chain.getBlockByNumber(n + 1n), undefined, `round ${round}: no block above the head`)
    await chain.close()
  }
})
