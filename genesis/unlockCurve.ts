import type { Tokenomics } from './types.ts'
import { vestedAmount } from './vestedAmount.ts'
import { vestingSchedules } from './vestingSchedules.ts'

/** One bucket's circulating OPEN at an instant: its TGE unlock plus what has vested. */
export type BucketCirculation = { name: string; circulating: bigint }

/** The circulating supply at an instant, per bucket (table order) and in total, in wei. */
export type UnlockCurvePoint = { at: bigint; buckets: BucketCirculation[]; circulating: bigint }

/**
 * Circulating OPEN at `atSeconds`, computed from the table alone: each bucket's `unlocked`
 * amounts (from the TGE on) plus `vestedAmount` of each of its grants. Before the TGE nothing
 * circulates.
 *
 * @example
 * const t = loadChainSpec('mainnet').tokenomics!
 * unlockCurve(t, t.tge).circulating // 215_500_000n * 10n ** 18n (21.55 %)
 */
export function unlockCurve(tokenomics: Tokenomics, atSeconds: bigint): UnlockCurvePoint {
  const schedules = vestingSchedules(tokenomics)
  const buckets = tokenomics.buckets.map((bucket) => {
    let circulating = atSeconds < tokenomics.tge ? 0n : bucket.unlocked.reduce((acc, u) => acc + u.amount, 0n)
    for (const s of schedules) {
      if (s.bucket === bucket.name) circulating += vestedAmount(s.amount, s.start, s.cliff, s.duration, atSeconds)
    }
    return { name: bucket.name, circulating }
  })
  return { at: atSeconds, buckets, circulating: buckets.reduce((acc, b) => acc + b.circulating, 0n) }
}

/** The month (after the TGE) at which the last grant of the table has fully vested; 0 if none vests. */
export function unlockEndMonth(tokenomics: Tokenomics): number {
  let end = 0
  for (const bucket of tokenomics.buckets) for (const grant of bucket.vesting) end = Math.max(end, grant.startMonths + grant.durationMonths)
  return end
}
