import { invalidParams } from '../errors.ts'
import type { BlockParam } from '../params/blockParam.ts'
import { isPendingTag } from '../params/blockParam.ts'
import type { LogCriteria } from '../params/logFilter.ts'

/** Block bounds a live log filter delivers within; undefined = unbounded on that side. */
export type LiveLogRange = { from: bigint | undefined; to: bigint | undefined }

/** Where a bound sits for geth's range check: a number, "latest", or another tag (safe / finalized). */
function position(p: BlockParam): bigint | 'latest' | 'other' {
  if (p.kind === 'number') return p.number
  if (p.kind === 'tag' && p.tag === 'latest') return 'latest'
  // geth validates "earliest" as the history cutoff: block 0 here
  if (p.kind === 'tag' && p.tag === 'earliest') return 0n
  return 'other'
}

/**
 * The range of a filter that watches new blocks (eth_subscribe "logs", eth_newFilter), checked
 * as geth's SubscribeLogs does: "pending" is refused (-32602 "pending logs are not supported");
 * accepted are latest..latest, n..m with m >= n, and n..latest (-32602 "invalid block range
 * params" otherwise, e.g. a safe / finalized bound). New logs are then delivered only from blocks
 * within numeric bounds. A blockHash is not a bound here: geth ignores it for live filters.
 */
export function liveLogRange(c: LogCriteria): LiveLogRange {
  if (isPendingTag(c.fromBlock) || isPendingTag(c.toBlock)) throw invalidParams('pending logs are not supported')
  const from = position(c.fromBlock)
  const to = position(c.toBlock)
  const ok =
    (from === 'latest' && to === 'latest') ||
    (typeof from === 'bigint' && typeof to === 'bigint' && to >= from) ||
    (typeof from === 'bigint' && to === 'latest')
  if (!ok) throw invalidParams('invalid block range params')
  return {
    from: c.fromBlock.kind === 'number' ? c.fromBlock.number : undefined,
    to: c.toBlock.kind === 'number' ? c.toBlock.number : undefined,
  }
}
