import t from 'tap'
import { MAX_TIME_OFFSET, SEQUENCER_ERROR, createBlockClock } from '../../../../node/sequencer/index.ts'

// a wall clock the test moves by hand
function manualClock(start: bigint) {
  let now = start
  return { clock: createBlockClock({ now: () => now }), advance: (s: bigint) => (now += s) }
}

t.test('no controls used: max(parent + 1, now), strictly increasing', async (t) => {
  const { clock } = manualClock(1_000n)
  t.equal(clock.timestampFor(500n), 1_000n, 'now when the parent is older')
  t.equal(clock.timestampFor(1_000n), 1_001n, 'parent + 1 when the parent is at now')
  t.equal(clock.timestampFor(5_000n), 5_001n, 'parent + 1 when the parent is ahead of now')
})

t.test('evm_increaseTime: offsets add up, the answer is the total, later blocks move with it', async (t) => {
  const { clock, advance } = manualClock(1_000n)
  t.equal(clock.increaseTime(60n), 60n)
  t.equal(clock.increaseTime(7n * 86_400n), 60n + 604_800n, 'cumulative, as anvil answers')
  t.equal(clock.increaseTime(0n), 604_860n, '0 answers the total')
  t.equal(clock.timestampFor(999n), 1_000n + 604_860n)
  clock.blockBuilt(1_000n + 604_860n)
  advance(5n)
  t.equal(clock.timestampFor(1_000n + 604_860n), 1_005n + 604_860n, 'the offset stays for the blocks after')
  t.throws(() => clock.increaseTime(MAX_TIME_OFFSET), { code: SEQUENCER_ERROR.INVALID_TIMESTAMP }, 'a total above 2^53 - 1 is refused')
  t.equal(clock.save().offset, 604_860n, 'a refused increase changes nothing')
})

t.test('evm_setNextBlockTimestamp: exact once, then the offset continues from it (anvil)', async (t) => {
  const { clock, advance } = manualClock(1_000n)
  clock.setNextTimestamp(50_000n, 999n)
  t.equal(clock.timestampFor(999n), 50_000n, 'exactly the requested timestamp')
  t.equal(clock.timestampFor(999n), 50_000n, 'asking again does not use it up')
  clock.blockBuilt(50_000n)
  t.equal(clock.save().offset, 49_000n, 'offset = requested - now')
  advance(10n)
  t.equal(clock.timestampFor(50_000n), 50_010n, 'later blocks continue from it')
  t.equal(clock.save().next, undefined, 'used up by the block')

  t.throws(() => clock.setNextTimestamp(50_000n, 50_000n), {
    code: SEQUENCER_ERROR.INVALID_TIMESTAMP,
    message: /^Timestamp error: 50000 is lower than or equal to previous block's timestamp 50000$/,
  })
  t.throws(() => clock.setNextTimestamp(1n, 50_000n), { code: SEQUENCER_ERROR.INVALID_TIMESTAMP }, 'in the past')
  t.equal(clock.save().next, undefined, 'a refused request leaves nothing pending')

  // a request overtaken by a block built in between still never goes back in time
  clock.setNextTimestamp(60_000n, 50_010n)
  t.equal(clock.timestampFor(70_000n), 70_001n, 'parent + 1 when the parent moved past the request')
})

t.test('a block that must leave the requested timestamp to the next one (setBalance) stays below it', async (t) => {
  const { clock } = manualClock(1_000n)
  t.equal(clock.fillerTimestampFor(900n), 1_000n, 'no request: like timestampFor')
  clock.setNextTimestamp(1_000n, 900n)
  t.equal(clock.fillerTimestampFor(900n), 999n, 'below the request where there is room')
  t.equal(clock.save().next, 1_000n, 'the request stays for the next block')
  t.equal(clock.timestampFor(999n), 1_000n, 'and the next block gets it')
  clock.setNextTimestamp(5_000n, 999n)
  t.equal(clock.fillerTimestampFor(999n), 1_000n, 'now + offset when that is below the request')
  clock.setNextTimestamp(1_001n, 1_000n)
  t.equal(clock.fillerTimestampFor(1_000n), 1_001n, 'no room: parent + 1 all the same')
})

t.test('save / restore (evm_snapshot / evm_revert) put back the offset and a pending request', async (t) => {
  const { clock } = manualClock(1_000n)
  clock.increaseTime(100n)
  clock.setNextTimestamp(9_000n, 1n)
  const saved = clock.save()
  clock.blockBuilt(9_000n)
  clock.increaseTime(3_600n)
  t.not(clock.save().offset, 100n)
  clock.restore(saved)
  t.same(clock.save(), { offset: 100n, next: 9_000n })
  t.equal(clock.timestampFor(1n), 9_000n)
})
