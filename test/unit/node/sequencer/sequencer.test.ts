import t from 'tap'
import { bytesToHex } from '@ethereumjs/util'
import type { Address } from '@ethereumjs/util'
import { createTxPool } from '../../../../node/txpool/index.ts'
import { createBlockClock, createSequencer, SEQUENCER_ERROR } from '../../../../node/sequencer/index.ts'
import type { SequencerBlock } from '../../../../node/sequencer/index.ts'
import { poll } from '../../../fixtures/poll.ts'
import { addressOf, createFakeChain, testKey, tx1559 } from '../txpool/fakeChain.ts'

const KEYS = [1, 2, 3].map(testKey)
const [A, B] = KEYS as [Uint8Array, Uint8Array]

async function setup(opts: { automine?: boolean; blockTime?: number; now?: () => bigint } = {}) {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain })
  const blocks: SequencerBlock[] = []
  const sequencer = createSequencer({
    chain,
    pool,
    automine: opts.automine ?? true,
    blockTime: opts.blockTime ?? 0,
    now: opts.now ?? (() => 5_000n),
    onBlock: (b) => blocks.push(b),
  })
  return { chain, pool, sequencer, blocks }
}

t.test('automine: a burst of txs lands in one block', async (t) => {
  const { chain, pool, sequencer, blocks } = await setup()
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  sequencer.start()
  const txs = [tx1559(A, { nonce: 0n }), tx1559(A, { nonce: 1n }), tx1559(B, { nonce: 0n })]
  await Promise.all(txs.map((tx) => pool.addRaw(tx.serialize())))
  await poll(() => blocks.length === 1, { timeoutMs: 10_000, what: 'one block' })
  t.equal(blocks[0]!.txs, 3)
  t.equal(blocks[0]!.trigger, 'automine')
  t.equal(blocks[0]!.number, 1n)
  t.ok(blocks[0]!.buildSeconds >= 0, 'build time reported')
  await pool.idle()
  t.same(pool.status(), { pending: 0, queued: 0 }, 'included txs left the pool')
  t.equal((await chain.account(addressOf(A))).nonce, 2n)
})

t.test('never two builds at once; txs arriving during a build wait for the next block', async (t) => {
  const { chain, pool, sequencer, blocks } = await setup()
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  let release!: () => void
  chain.gate = new Promise<void>((resolve) => (release = resolve))
  sequencer.start()
  await pool.addRaw(tx1559(A, { nonce: 0n }).serialize())
  await poll(() => chain.inFlight === 1, { timeoutMs: 10_000, what: 'first build started' })
  for (let n = 1n; n <= 3n; n++) await pool.addRaw(tx1559(A, { nonce: n }).serialize())
  await pool.addRaw(tx1559(B, { nonce: 0n }).serialize())
  t.equal(chain.inFlight, 1, 'still one build')
  chain.gate = undefined
  release()
  await poll(() => blocks.length === 2, { timeoutMs: 10_000, what: 'two blocks' })
  t.same(
    blocks.map((b) => b.txs),
    [1, 4],
    'the burst coalesced into block 2',
  )
  t.equal(chain.maxInFlight, 1, 'builds never overlapped')
  // manual builds also queue behind automine ones
  const [x, y, z] = await Promise.all([sequencer.buildNow(), sequencer.buildNow(), sequencer.buildNow()])
  t.same([y.number - x.number, z.number - y.number], [1n, 1n], 'concurrent buildNow calls (evm_mine) build one block each, in order, as on anvil')
  t.equal(x.txs, 0, 'empty manual block')
  t.equal(chain.maxInFlight, 1)
})

t.test('interval blocks, empty included; timestamp = max(parent + 1, now)', async (t) => {
  let now = 5_000n
  const { chain, pool, sequencer, blocks } = await setup({ automine: false, blockTime: 1, now: () => now })
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  sequencer.start()
  t.equal(sequencer.running, true)
  await poll(() => blocks.length >= 1, { timeoutMs: 5_000, what: 'first interval block' })
  now = 0n
  await poll(() => blocks.length >= 2, { timeoutMs: 5_000, what: 'second interval block' })
  await sequencer.stop()
  const count = blocks.length
  t.equal(sequencer.running, false)
  t.same(
    blocks.slice(0, 2).map((b) => b.timestamp),
    [5_000n, 5_001n],
    'now, then parent + 1 when the clock lags',
  )
  t.ok(
    blocks.every((b) => b.trigger === 'interval' && b.txs === 0),
    'empty interval blocks',
  )
  t.equal(chain.head().header.number, BigInt(count))
  // stopped: a tx added now produces nothing
  await pool.addRaw(tx1559(A, { nonce: 0n }).serialize())
  await pool.idle()
  t.equal(chain.blocks.length, count + 1, 'no block after stop')
})

t.test('txs rejected at execution are dropped from the pool', async (t) => {
  const { chain, pool, sequencer } = await setup({ automine: false })
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  const tx = tx1559(A, { nonce: 0n })
  await pool.addRaw(tx.serialize())
  // A's funds disappear without a head event: the builder rejects the tx
  await chain.setAccount(addressOf(A), 0n)
  const info = await sequencer.buildNow()
  t.equal(info.txs, 0)
  t.equal(info.rejected, 1)
  t.equal(pool.get(tx.hash()), undefined)
  t.equal(bytesToHex(info.hash), bytesToHex(chain.head().hash()))
})

t.test('build failures are reported, not thrown out of the timer', async (t) => {
  const { chain, pool, sequencer } = await setup({ automine: true })
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  const errors: Error[] = []
  sequencer.on('error', (err) => errors.push(err))
  chain.gate = Promise.reject(new Error('disk full'))
  chain.gate.catch(() => undefined)
  sequencer.start()
  await pool.addRaw(tx1559(A, { nonce: 0n }).serialize())
  await poll(() => errors.length === 1, { timeoutMs: 10_000, what: 'error event' })
  t.equal(errors[0]!.message, 'disk full')
  chain.gate = undefined
  const info = await sequencer.buildNow()
  t.equal(info.txs, 1, 'the next build works')
})

t.test('timestamps come from the block clock: an exact next timestamp, then the offset continues from it', async (t) => {
  const clock = createBlockClock({ now: () => 5_000n })
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain })
  const sequencer = createSequencer({ chain, pool, automine: false, blockTime: 0, clock })
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  clock.increaseTime(100n)
  t.equal((await sequencer.buildNow()).timestamp, 5_100n, 'now + offset')
  clock.setNextTimestamp(9_000n, chain.head().header.timestamp)
  t.equal((await sequencer.buildNow()).timestamp, 9_000n, 'exactly the requested timestamp')
  t.equal((await sequencer.buildNow()).timestamp, 9_001n, 'later blocks continue from it (parent + 1 at the same now)')
  t.same(clock.save(), { offset: 4_000n, next: undefined }, 'the request is used up and the offset moved')
})

t.test('buildNow({ devBalances }): a block of the balances alone, leaving a requested timestamp to the next block', async (t) => {
  const clock = createBlockClock({ now: () => 5_000n })
  const { chain, pool } = await setup({ automine: false })
  const sequencer = createSequencer({ chain, pool, automine: false, blockTime: 0, clock })
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  const tx = tx1559(A, { nonce: 0n })
  await pool.addRaw(tx.serialize())
  clock.setNextTimestamp(6_000n, chain.head().header.timestamp)
  const devBalances = [{ address: addressOf(B), balance: 7n }]
  const info = await sequencer.buildNow({ devBalances })
  t.equal(info.txs, 0, 'no pool txs in it')
  t.equal(info.timestamp, 5_000n, 'now, below the requested timestamp')
  t.same(chain.builtDevBalances.at(-1), devBalances, 'the balances went to the chain')
  t.ok(pool.get(tx.hash()) !== undefined, 'the pending tx waits for its own block')
  const next = await sequencer.buildNow()
  t.same([next.txs, next.timestamp], [1, 6_000n], 'the next block has the tx and the requested timestamp')
  t.equal(chain.builtDevBalances.at(-1), undefined, 'and no balances')
})

t.test('an automine request never joins a queued block of --dev balances (its txs would wait for nothing)', async (t) => {
  const { chain, pool, sequencer, blocks } = await setup({ automine: true })
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  sequencer.start()
  let release!: () => void
  chain.gate = new Promise<void>((resolve) => (release = resolve))
  const first = sequencer.buildNow()
  await poll(() => chain.inFlight === 1, { timeoutMs: 10_000, what: 'first build at the gate' })
  const balances = sequencer.buildNow({ devBalances: [{ address: addressOf(B), balance: 1n }] })
  await pool.addRaw(tx1559(A, { nonce: 0n }).serialize())
  // one turn of the event loop: the automine request (made on setImmediate) is in while both builds wait
  await new Promise((resolve) => setImmediate(resolve))
  chain.gate = undefined
  release()
  await Promise.all([first, balances])
  await poll(() => blocks.some((b) => b.txs === 1), { timeoutMs: 10_000, what: 'a block with the tx' })
  t.same(
    blocks.map((b) => [b.trigger, b.txs]),
    [
      ['manual', 0],
      ['manual', 0],
      ['automine', 1],
    ],
    'the tx got an automine block of its own after the balances block',
  )
})

t.test('exclusive() runs between builds: after those queued before it, before those requested after', async (t) => {
  const { chain, pool, sequencer } = await setup({ automine: false })
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
  })
  let release!: () => void
  chain.gate = new Promise<void>((resolve) => (release = resolve))
  const order: string[] = []
  sequencer.on('block', (b) => order.push(`block ${b.number}`))
  const first = sequencer.buildNow()
  const between = sequencer.exclusive(async () => {
    order.push(`exclusive at head ${chain.head().header.number}`)
    return 42
  })
  const after = sequencer.buildNow()
  chain.gate = undefined
  release()
  await Promise.all([first, after])
  t.equal(await between, 42, "fn's value")
  t.same(order, ['block 1', 'exclusive at head 1', 'block 2'])
  const failing = sequencer.exclusive(async () => {
    throw new Error('no')
  })
  await t.rejects(failing, { message: 'no' }, "fn's rejection")
  t.equal((await sequencer.buildNow()).number, 3n, 'builds go on after a failed fn')
})

t.test('options are validated', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain })
  t.teardown(() => pool.close())
  t.throws(() => createSequencer({ chain, pool, blockTime: -1 }), { code: SEQUENCER_ERROR.INVALID_OPTION })
  t.throws(() => createSequencer({ chain, pool, blockTime: 0.5 }), { code: SEQUENCER_ERROR.INVALID_OPTION })
  t.throws(() => createSequencer({ chain, pool, maxTxsPerBlock: 0 }), { code: SEQUENCER_ERROR.INVALID_OPTION })
})

t.test("a build completes while adds keep arriving (the pool's idle() waits only for earlier adds)", async (t) => {
  // 200 senders with one tx each: every admission reads a new account, which here takes a turn
  // of the event loop (as a LevelDB read does), so the adds really overlap the build
  const keys = Array.from({ length: 200 }, (_, i) => testKey(100 + i))
  const chain = await createFakeChain({ keys })
  const slowState = {
    getAccount: async (address: Address) => {
      await new Promise((resolve) => setImmediate(resolve))
      return chain.state.getAccount(address)
    },
  }
  chain.stateAt = async () => slowState as unknown as typeof chain.state
  const pool = await createTxPool({ chain })
  const sequencer = createSequencer({ chain, pool, automine: false, blockTime: 0, now: () => 5_000n })
  const txs = keys.map((key) => tx1559(key, { nonce: 0n }).serialize())
  let next = 0
  let added = 0
  let inFlight = 0
  let failed: unknown
  let built: Promise<{ info: SequencerBlock; addedWhenBuilt: number }> | undefined
  let streamDone!: () => void
  const finished = new Promise<void>((resolve) => (streamDone = resolve))
  // keep 4 adds in flight at every moment, so the pool's operation queue never drains; the
  // build is requested from inside the stream once 20 adds are in
  const pump = (): void => {
    while (inFlight < 4 && next < txs.length) {
      inFlight++
      pool.addRaw(txs[next++]!).then(
        () => {
          inFlight--
          added++
          if (added === 20) built = sequencer.buildNow().then((info) => ({ info, addedWhenBuilt: added }))
          if (added === txs.length) streamDone()
          pump()
        },
        (err: unknown) => {
          failed = err
          streamDone()
        },
      )
    }
  }
  t.teardown(async () => {
    await finished
    await sequencer.stop()
    await pool.close()
  })
  pump()
  await poll(() => built !== undefined, { timeoutMs: 10_000, what: 'the build request' })
  const { info, addedWhenBuilt } = await built!
  t.ok(info.txs >= 20, `the block took the txs pending when it started (${info.txs})`)
  t.ok(addedWhenBuilt < txs.length, `the build finished mid-stream (${addedWhenBuilt} of ${txs.length} adds done)`)
  await finished
  t.equal(failed, undefined, 'every add was accepted')
  const second = await sequencer.buildNow()
  t.equal(info.txs + second.txs, txs.length, 'the rest goes into the next block')
})
