import type { Hex, Tokenomics } from './types.ts'

/**
 * The liquid genesis balances a tokenomics table gives: every bucket's `unlocked` entries, summed
 * where an address appears more than once, iterated in ascending address order. The one source
 * for the genesis state builder and the CLI (vesting amounts are not in it: they sit with the
 * vesting module until they vest).
 *
 * @example
 * tokenomicsBalances(loadChainSpec('devnet').tokenomics!).get(DEV_ACCOUNTS[0].address.toLowerCase()) // 10_000n * 10n ** 18n
 */
export function tokenomicsBalances(tokenomics: Tokenomics): Map<Hex, bigint> {
  const totals = new Map<Hex, bigint>()
  for (const bucket of tokenomics.buckets) {
    for (const { address, amount } of bucket.unlocked) totals.set(address, (totals.get(address) ?? 0n) + amount)
  }
  return new Map([...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
