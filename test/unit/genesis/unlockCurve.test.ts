import t from 'tap'
import { loadChainSpec, unlockCurve, unlockEndMonth } from '../../../genesis/index.ts'

const tokenomics = loadChainSpec('mainnet').tokenomics!
const month = (n: bigint): bigint => tokenomics.tge + n * tokenomics.monthSeconds

/** Circulating wei per bucket and in total at month n (after the TGE). */
function at(n: bigint): Record<string, bigint> {
  const point = unlockCurve(tokenomics, month(n))
  return { ...Object.fromEntries(point.buckets.map((b) => [b.name, b.circulating])), total: point.circulating }
}

// [month, ecosystem, investors, team, liquidity, total] in wei, as published (21.55 % at the TGE,
// 32.84 % at month 12 when team and investors start with nothing released, 100 % at month 48)
const EXPECTED: [bigint, bigint, bigint, bigint, bigint, bigint][] = [
  [0n, 165_500_000_000000000000000000n, 0n, 0n, 50_000_000_000000000000000000n, 215_500_000_000000000000000000n],
  [12n, 278_400_000_000000000000000000n, 0n, 0n, 50_000_000_000000000000000000n, 328_400_000_000000000000000000n],
  // one 36th of team and investors, one 48th more of the ecosystem pool, each floored to the wei
  [
    13n,
    287_808_333_333333333333333333n,
    5_080_555_555555555555555555n,
    4_166_666_666666666666666666n,
    50_000_000_000000000000000000n,
    347_055_555_555555555555555554n,
  ],
  [48n, 617_100_000_000000000000000000n, 182_900_000_000000000000000000n, 150_000_000_000000000000000000n, 50_000_000_000000000000000000n, 10n ** 27n],
]

t.test('mainnet: circulating per bucket at months 0, 12, 13 and 48, to the wei', async (t) => {
  for (const [n, ecosystem, investors, team, liquidity, total] of EXPECTED) {
    t.same(at(n), { ecosystem, investors, team, liquidity, total }, `month ${n}`)
  }
})

t.test('mainnet: the curve ends at month 48', async (t) => {
  t.equal(unlockCurve(tokenomics, month(48n) - 1n).circulating < 10n ** 27n, true, 'not all one second before')
  t.equal(unlockEndMonth(tokenomics), 48)
})

t.test('nothing circulates before the TGE', async (t) => {
  const point = unlockCurve(tokenomics, tokenomics.tge - 1n)
  t.equal(point.circulating, 0n)
  t.equal(point.at, tokenomics.tge - 1n)
})
