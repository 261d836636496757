import { RPC_ERROR, RpcError } from '../../rpc/index.ts'
import type { RpcLocatedLog, RpcLogFilter, RpcLogQueryLimits } from '../../rpc/index.ts'
import type { Chain } from '../chain/index.ts'

/** Blocks in the first chunk: small, so a dense range passes the result limit after little work. */
const FIRST_SPAN = 16n
/** Widest chunk: bounds the work (and the logs collected) past a limit or deadline to one chunk. */
const MAX_SPAN = 2048n

/**
 * A log query that stops early. chain.getLogs builds its whole answer before returning, so the
 * range is walked in chunks of blocks: after each chunk the result limit and the request deadline
 * are checked, and the query stops with `maxResults + 1` logs (the RPC layer answers -32005) or
 * abandons the scan (-32002) instead of reading the rest of the range. Chunks start at
 * FIRST_SPAN blocks and double, up to MAX_SPAN, while they come back sparse.
 */
export async function chunkedLogQuery(chain: Chain, filter: RpcLogFilter, limits: RpcLogQueryLimits): Promise<RpcLocatedLog[]> {
  const out: RpcLocatedLog[] = []
  const head = chain.head().header.number
  const last = filter.toBlock < head ? filter.toBlock : head
  let span = FIRST_SPAN
  for (let from = filter.fromBlock; from <= last; ) {
    const to = from + span - 1n < last ? from + span - 1n : last
    // the chain's logs carry their block's hash and timestamp (no header reads here)
    const logs = await chain.getLogs({ ...filter, fromBlock: from, toBlock: to })
    for (const l of logs) {
      out.push(l)
      if (out.length > limits.maxResults) return out
    }
    from = to + 1n
    if (from <= last && Date.now() > limits.deadline) throw new RpcError(RPC_ERROR.TIMEOUT, 'request timed out')
    // sparse so far: read wider chunks (fewer index scans); dense: keep the span, so one chunk overshoots little
    if (logs.length * 4 < limits.maxResults - out.length && span < MAX_SPAN) span *= 2n
  }
  return out
}
