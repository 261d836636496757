import type { GenesisVestingSchedule, Tokenomics } from './types.ts'

/**
 * The vesting grants of a tokenomics table as absolute-time schedules, in table order (bucket by
 * bucket, grant by grant): start = tge + startMonths * month, cliff = start + cliffMonths * month
 * (a timestamp), duration = durationMonths * month. What the vesting module stores at genesis.
 *
 * @example
 * vestingSchedules(loadChainSpec('mainnet').tokenomics!)[1]
 * // { bucket: 'investors', start: 1788847200n, cliff: 1788847200n, duration: 94672800n, ... }
 */
export function vestingSchedules(tokenomics: Tokenomics): GenesisVestingSchedule[] {
  const month = tokenomics.monthSeconds
  return tokenomics.buckets.flatMap((bucket) =>
    bucket.vesting.map((grant) => {
      const start = tokenomics.tge + BigInt(grant.startMonths) * month
      return {
        bucket: bucket.name,
        beneficiary: grant.beneficiary,
        amount: grant.amount,
        start,
        cliff: start + BigInt(grant.cliffMonths) * month,
        duration: BigInt(grant.durationMonths) * month,
        revocable: grant.revocable,
      }
    }),
  )
}
