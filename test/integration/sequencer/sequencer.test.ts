/**
 * Txpool + sequencer on the real LevelDB chain in a temp datadir: txs in -> blocks out,
 * replacement, nonce gaps filled later, restart with the pool journal.
 */
import t from 'tap'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFeeMarket1559Tx } from '@ethereumjs/tx'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Address, bytesToHex, hexToBytes } from '@ethereumjs/util'
import { DEV_ACCOUNTS, loadChainSpec } from '../../../genesis/index.ts'
import type { ChainSpec } from '../../../genesis/index.ts'
import { createChain } from '../../../node/chain/index.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { createSequencer } from '../../../node/sequencer/index.ts'
import type { Sequencer, SequencerBlock } from '../../../node/sequencer/index.ts'
import { createTxPool, TXPOOL_ERROR } from '../../../node/txpool/index.ts'
import type { TxPool } from '../../../node/txpool/index.ts'
import { poll } from '../../fixtures/poll.ts'

const GWEI = 1_000_000_000n
const KEYS = DEV_ACCOUNTS.slice(0, 3).map((a) => hexToBytes(a.privateKey))
const [A, B, C] = KEYS as [Uint8Array, Uint8Array, Uint8Array]
const SINK = hexToBytes('0x00000000000000000000000000000000000000bb')

function transfer(chain: Chain, key: Uint8Array, nonce: bigint, fee: { maxFee?: bigint; tip?: bigint; value?: bigint } = {}): TypedTransaction {
  return createFeeMarket1559Tx(
    {
      nonce,
      maxFeePerGas: fee.maxFee ?? 10n * GWEI,
      maxPriorityFeePerGas: fee.tip ?? GWEI,
      gasLimit: 21_000n,
      to: SINK,
      value: fee.value ?? 1_000n,
    },
    { common: chain.common },
  ).sign(key)
}

type Node = { chain: Chain; pool: TxPool; sequencer: Sequencer; blocks: SequencerBlock[]; close(): Promise<void> }

async function openNode(dataDir: string, spec: ChainSpec, automine: boolean): Promise<Node> {
  const chain = await createChain({ dataDir, spec })
  const pool = await createTxPool({ chain, journalPath: join(dataDir, 'txpool.journal') })
  const blocks: SequencerBlock[] = []
  const sequencer = createSequencer({ chain, pool, automine, blockTime: 0, onBlock: (b) => blocks.push(b) })
  sequencer.start()
  return {
    chain,
    pool,
    sequencer,
    blocks,
    async close() {
      await sequencer.stop()
      await pool.close()
      await chain.close()
    },
  }
}

async function nonceOf(chain: Chain, key: Uint8Array): Promise<bigint> {
  const state = await chain.stateAt(chain.head().header.number)
  const address = new Address(hexToBytes(DEV_ACCOUNTS[KEYS.indexOf(key)]!.address))
  return (await state.getAccount(address))?.nonce ?? 0n
}

t.test('txs in, blocks out; replacement; a nonce gap filled later', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'seq-int-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const spec = loadChainSpec('devnet')
  const node = await openNode(dir, spec, true)
  t.teardown(() => node.close())
  const { chain, pool, blocks } = node

  // a burst from two senders automines into blocks; every tx gets a successful receipt
  const burst = [transfer(chain, A, 0n), transfer(chain, A, 1n), transfer(chain, B, 0n)]
  await Promise.all(burst.map((tx) => pool.addRaw(tx.serialize())))
  await poll(async () => (await nonceOf(chain, A)) === 2n && (await nonceOf(chain, B)) === 1n, { timeoutMs: 20_000, what: 'burst mined' })
  for (const tx of burst) {
    const loc = await chain.getTxLocation(tx.hash())
    t.ok(loc, `tx ${bytesToHex(tx.hash())} located`)
    const receipts = await chain.getReceipts(loc!.blockHash)
    t.equal(receipts![loc!.index]!.status, 1, 'status 1')
  }
  t.ok(blocks.length >= 1 && blocks.length <= 3, `burst coalesced into ${blocks.length} block(s)`)
  await pool.idle()
  t.same(pool.status(), { pending: 0, queued: 0 })

  // gap: C sends nonces 1 and 2 first; nothing is mined until nonce 0 arrives
  const c1 = transfer(chain, C, 1n)
  const c2 = transfer(chain, C, 2n)
  await pool.addRaw(c1.serialize())
  await pool.addRaw(c2.serialize())
  t.same(pool.status(), { pending: 0, queued: 2 })
  const before = chain.head().header.number
  // replacement of a queued tx with a 10% bump
  const c2b = transfer(chain, C, 2n, { maxFee: 11n * GWEI, tip: (11n * GWEI) / 10n, value: 2_000n })
  await t.rejects(pool.addRaw(transfer(chain, C, 2n, { maxFee: 10n * GWEI + 1n, tip: GWEI + 1n }).serialize()), {
    code: TXPOOL_ERROR.REPLACEMENT_UNDERPRICED,
  })
  await pool.addRaw(c2b.serialize())
  t.equal(chain.head().header.number, before, 'no block for queued txs')
  await pool.addRaw(transfer(chain, C, 0n).serialize())
  await poll(async () => (await nonceOf(chain, C)) === 3n, { timeoutMs: 20_000, what: 'gap filled and mined' })
  t.ok(await chain.getTxLocation(c2b.hash()), 'the replacement was mined')
  t.equal(await chain.getTxLocation(c2.hash()), undefined, 'the replaced tx was not')
  await t.rejects(pool.addRaw(transfer(chain, A, 1n, { value: 5n }).serialize()), { code: TXPOOL_ERROR.NONCE_TOO_LOW })
})

t.test('restart: the journal brings pending and queued txs back, then they are mined', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'seq-int-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const spec = loadChainSpec('devnet')
  const first = await openNode(dir, spec, false)
  const pending = [transfer(first.chain, A, 0n), transfer(first.chain, A, 1n), transfer(first.chain, B, 0n)]
  const queued = transfer(first.chain, C, 1n)
  for (const tx of [...pending, queued]) await first.pool.addRaw(tx.serialize())
  t.same(first.pool.status(), { pending: 3, queued: 1 })
  // the sender is derived once at ingest with the chain's fast keccak
  t.equal(bytesToHex(first.pool.get(queued.hash())!.sender), DEV_ACCOUNTS[2]!.address.toLowerCase(), 'pooled sender')
  await first.close()

  const second = await openNode(dir, spec, false)
  t.teardown(() => second.close())
  t.same(second.pool.status(), { pending: 3, queued: 1 }, 'pool restored from the journal')
  const info = await second.sequencer.buildNow()
  t.equal(info.txs, 3, 'restored pending txs mined')
  for (const tx of pending) t.ok(await second.chain.getTxLocation(tx.hash()), `tx ${bytesToHex(tx.hash())} mined`)
  await second.pool.idle()
  t.same(second.pool.status(), { pending: 0, queued: 1 }, 'the queued tx waits for its gap')
  await second.pool.addRaw(transfer(second.chain, C, 0n).serialize())
  const next = await second.sequencer.buildNow()
  t.equal(next.txs, 2, 'gap filled after restart')
})
