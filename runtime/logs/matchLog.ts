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

/**
 * Whether a block bloom may contain matching logs: every constrained position must have at least
 * one candidate in the bloom (false positives are fine, false negatives impossible).
 */
export function bloomMayMatch(m: LogMatcher, bloomBits: Uint8Array): boolean {
  const bloom = new Bloom(bloomBits)
  if (m.addresses !== undefined && m.addresses.length > 0 && !m.addresses.some((a) => bloom.check(a))) return false
  for (const want of m.topics ?? []) {
    if (want === null || want === undefined) continue
    const options = Array.isArray(want) ? want : [want]
    if (options.length > 0 && !options.some((t) => bloom.check(t))) return false
  }
  return true
}
