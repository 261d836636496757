import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Hex } from '../../../genesis/index.ts'
import { addressWord, mappingSlot } from '../framework/slots.ts'
import { traceGenesisWords } from '../framework/trace208.ts'
import { GOPEN_SLOTS, MAX_LOCKED_UNITS, MAX_VOTING_SUPPLY, ZERO_ADDRESS, accountWord, clockOf } from './gopenState.ts'

const hasher = { keccak: (data: Uint8Array) => keccak_256(data) }

/**
 * GOPEN's genesis storage words for OPEN locked at genesis (vesting schedules): each account's
 * locked voting units (several entries of one account add up) and one total-voting-supply
 * checkpoint at the genesis timestamp. Nobody has delegated, so no one has votes until they do.
 * Throws on a negative amount or past the caps (2^96 - 1 per account, 2^208 - 1 in total).
 *
 * @example
 * ```ts
 * const storage = gopenGenesisStorage([{ account: team, amount: 150_000_000n * 10n ** 18n }], spec.timestamp)
 * ```
 */
export function gopenGenesisStorage(locked: readonly { account: Hex; amount: bigint }[], timestamp: bigint): Array<[bigint, bigint]> {
  const perAccount = new Map<Hex, bigint>()
  let total = 0n
  for (const { account, amount } of locked) {
    if (amount < 0n) throw new RangeError(`negative locked amount for ${account}`)
    const key = account.toLowerCase() as Hex
    const sum = (perAccount.get(key) ?? 0n) + amount
    if (sum > MAX_LOCKED_UNITS) throw new RangeError(`locked amount of ${account} exceeds 2^96 - 1`)
    perAccount.set(key, sum)
    total += amount
  }
  if (total > MAX_VOTING_SUPPLY) throw new RangeError('locked total exceeds 2^208 - 1')
  const words: Array<[bigint, bigint]> = []
  for (const [account, amount] of perAccount) {
    if (amount !== 0n) words.push([mappingSlot(hasher, GOPEN_SLOTS.accounts, addressWord(account)), accountWord(ZERO_ADDRESS, amount)])
  }
  if (total === 0n) return words
  words.push(...traceGenesisWords(hasher, GOPEN_SLOTS.totalCheckpoints, clockOf({ timestamp }), total))
  return words
}
