import { equalsBytes } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { LogFilter } from '../types.ts'

/** The address and topic part of a log filter: topics position-wise, null (or []) = any, an array = OR. */
export type LogMatcher = Pick<LogFilter, 'addresses' | 'topics'>

function oneOf(options: Uint8Array | Uint8Array[], value: Uint8Array): boolean {
  if (!Array.isArray(options)) return equalsBytes(options, value)
  for (const o of options) if (equalsBytes(o, value)) return true
  return false
}

/**
 * Whether a log matches a filter, by geth's rule (eth/filters filterLogs): the address is one of
 * `addresses` (none = any), and a filter with more topic positions than the log has topics never
 * matches, wildcards or not; each position then holds one of its options (null or [] = any).
 * The one matcher of eth_getLogs, log filters and log subscriptions.
 */
export function matchLog(m: LogMatcher, address: Uint8Array, topics: Uint8Array[]): boolean {
  if (m.addresses !== undefined && m.addresses.length > 0 && !oneOf(m.addresses, address)) return false
  const wanted = m.topics
  if (wanted === undefined) return true
  if (wanted.length > topics.length) return false
  for (let i = 0; i < wanted.length; i++) {
    const want = wanted[i]
    if (want === null || want === undefined || (Array.isArray(want) && want.length === 0)) continue
    if (!oneOf(want, topics[i]!)) return false
  }
  return true
}

/** The bloom bits of one filter value: the bytes of a 2048-bit bloom it sets, with their masks. */
type BloomBits = { at: number[]; mask: number[] }

function bloomBits(value: Uint8Array): BloomBits {
  // ethereumjs' Bloom.add places the bits (yellow paper M3:2048), so the rule stays in one place
  const one = new Bloom()
  one.add(value)
  const bits: BloomBits = { at: [], mask: [] }
  one.bitvector.forEach((byte, i) => {
    if (byte === 0) return
    bits.at.push(i)
    bits.mask.push(byte)
  })
  return bits
}

function hasBits(bloom: Uint8Array, bits: BloomBits): boolean {
  for (let i = 0; i < bits.at.length; i++) {
    const mask = bits.mask[i]!
    if ((bloom[bits.at[i]!]! & mask) !== mask) return false
  }
  return true
}

/**
 * A bloom pre-check for one filter, its values hashed once: the returned function says whether a
 * block bloom may contain matching logs (every constrained position has at least one candidate in
 * the bloom; false positives are fine, false negatives impossible). A range scan calls it once a
 * block; hashing per call (as Bloom.check does) cost a keccak per block and filter value.
 */
export function createBloomMatcher(m: LogMatcher): (bloomBits: Uint8Array) => boolean {
  const positions: BloomBits[][] = []
  if (m.addresses !== undefined && m.addresses.length > 0) positions.push(m.addresses.map(bloomBits))
  for (const want of m.topics ?? []) {
    if (want === null || want === undefined) continue
    const options = Array.isArray(want) ? want : [want]
    if (options.length > 0) positions.push(options.map(bloomBits))
  }
  return (bloom) => {
    for (const options of positions) if (!options.some((bits) => hasBits(bloom, bits))) return false
    return true
  }
}

/**
 * Whether a block bloom may contain matching logs (see {@link createBloomMatcher}, which a scan
 * over many blooms should use instead).
 */
export function bloomMayMatch(m: LogMatcher, bloomBits: Uint8Array): boolean {
  return createBloomMatcher(m)(bloomBits)
}
