import t from 'tap'
import { vestedAmount } from '../../../genesis/index.ts'
import { createPrng } from '../../fixtures/chain/prng.ts'

// 10^18 + 7 wei over 97 s: no instant inside the schedule divides evenly, so flooring shows.
const AMOUNT = 10n ** 18n + 7n
const START = 1_000n
const CLIFF = START + 10n
const DURATION = 97n
const END = START + DURATION

t.test('nothing before the cliff; at the cliff what accrued since start', async (t) => {
  t.equal(vestedAmount(AMOUNT, START, CLIFF, DURATION, START - 1n), 0n, 'before start')
  t.equal(vestedAmount(AMOUNT, START, CLIFF, DURATION, CLIFF - 1n), 0n, 'cliff - 1')
  t.equal(vestedAmount(AMOUNT, START, CLIFF, DURATION, CLIFF), (AMOUNT * 10n) / DURATION, 'cliff: 10 s of accrual at once')
  t.equal(vestedAmount(AMOUNT, START, CLIFF, DURATION, CLIFF), 103_092_783_505_154_639n, 'cliff: floored')
  t.equal(vestedAmount(AMOUNT, START, CLIFF, DURATION, CLIFF + 1n), 113_402_061_855_670_103n, 'cliff + 1')
})

t.test('the last second releases the remainder', async (t) => {
  const beforeEnd = vestedAmount(AMOUNT, START, CLIFF, DURATION, END - 1n)
  t.equal(beforeEnd, (AMOUNT * 96n) / DURATION, 'end - 1: floored')
  t.ok(beforeEnd < AMOUNT, 'end - 1: not all')
  t.equal(vestedAmount(AMOUNT, START, CLIFF, DURATION, END), AMOUNT, 'end: everything')
  t.equal(vestedAmount(AMOUNT, START, CLIFF, DURATION, END + 1_000_000n), AMOUNT, 'after the end: everything, no more')
})

t.test('no cliff: linear from start (0 at start itself)', async (t) => {
  t.equal(vestedAmount(AMOUNT, START, START, DURATION, START), 0n)
  t.equal(vestedAmount(AMOUNT, START, START, DURATION, START + 1n), AMOUNT / DURATION)
  t.equal(vestedAmount(AMOUNT, START, START, DURATION, START - 1n), 0n, 'before start')
})

t.test('releases at random instants never decrease and sum to the amount exactly', async (t) => {
  const prng = createPrng(0x0be2)
  for (let schedule = 0; schedule < 50; schedule++) {
    // up to ~10^27 wei (the whole supply) over up to ~48 mainnet months, any cliff within it
    const amount = BigInt(1 + prng.int(1_000_000_000)) * 10n ** BigInt(prng.int(19)) + BigInt(prng.int(1_000_000))
    const duration = BigInt(1 + prng.int(126_230_400))
    const start = BigInt(prng.int(2_000_000_000))
    const cliff = start + (BigInt(prng.int(1_000_000)) * duration) / 1_000_000n
    const instants = Array.from({ length: 200 }, () => start - 100n + (BigInt(prng.int(1_000_000)) * (duration + 200n)) / 1_000_000n).sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    )
    let released = 0n
    let previous = 0n
    let ok = true
    for (const at of [...instants, start + duration]) {
      const vested = vestedAmount(amount, start, cliff, duration, at)
      if (vested < previous || vested > amount || (at > start && vested * duration > amount * (at - start))) ok = false
      released += vested - previous
      previous = vested
    }
    t.ok(ok, `schedule ${schedule}: monotone, never ahead of the linear accrual`)
    t.equal(released, amount, `schedule ${schedule}: releases sum to the amount, to the wei`)
  }
})
