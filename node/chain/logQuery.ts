import { equalsBytes } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { LogFilter } from './types.ts'

/** Whether a log's address and topics match a filter (topics position-wise, null = any, array = OR). */
export function logMatches(filter: LogFilter, address: Uint8Array, topics: Uint8Array[]): boolean {
  if (filter.addresses !== undefined && filter.addresses.length > 0 && !filter.addresses.some((a) => equalsBytes(a, address))) return false
  const wanted = filter.topics ?? []
  for (let i = 0; i < wanted.length; i++) {
    const want = wanted[i]
    if (want === null || want === undefined) continue
    const have = topics[i]
    if (have === undefined) return false
    const options = Array.isArray(want) ? want : [want]
    if (options.length > 0 && !options.some((t) => equalsBytes(t, have))) return false
  }
  return true
}

/**
 * Whether a block bloom may contain matching logs: every constrained topic position must have at
 * least one candidate in the bloom (false positives are fine, false negatives impossible).
 */
export function bloomMayMatch(filter: LogFilter, bloomBits: Uint8Array): boolean {
  const bloom = new Bloom(bloomBits)
  if (filter.addresses !== undefined && filter.addresses.length > 0 && !filter.addresses.some((a) => bloom.check(a))) return false
  for (const want of filter.topics ?? []) {
    if (want === null || want === undefined) continue
    const options = Array.isArray(want) ? want : [want]
    if (options.length > 0 && !options.some((t) => bloom.check(t))) return false
  }
  return true
}
