import type { RpcContextOf } from '../types.ts'
import type { LogCriteria } from '../params/logFilter.ts'
import { invalidParams, RPC_ERROR, RpcError } from '../errors.ts'
import { isPendingTag, tagToNumber } from '../params/blockParam.ts'
import { formatLog } from '../format/formatReceipt.ts'

/**
 * Run a log query with the configured range and result limits; returns formatted logs. The
 * backend stops scanning once the result limit is passed or the request deadline is gone.
 */
export async function queryLogs(ctx: RpcContextOf<'blocks' | 'limits'>, c: LogCriteria): Promise<Record<string, unknown>[]> {
  const { blocks, limits } = ctx
  let from: bigint
  let to: bigint
  if (c.blockHash !== undefined) {
    const header = await blocks.getHeaderByHash(c.blockHash)
    // geth's errUnknownBlock is a plain error: -32000
    if (header === undefined) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'unknown block')
    from = to = header.number
  } else {
    if (c.fromBlock.kind === 'hash' || c.toBlock.kind === 'hash') throw invalidParams('invalid block range params')
    if (isPendingTag(c.fromBlock) || isPendingTag(c.toBlock)) throw invalidParams('pending logs are not supported')
    // geth (eth/filters): resolve tags, then an empty range, then a range past the head: all -32602
    from = tagToNumber(blocks, c.fromBlock)
    to = tagToNumber(blocks, c.toBlock)
    if (from > to) throw invalidParams('invalid block range params')
    if (to > blocks.head().header.number) throw invalidParams('block range extends beyond current head block')
    if (to - from + 1n > limits.maxLogsBlockRange) {
      throw new RpcError(RPC_ERROR.LIMIT_EXCEEDED, `query exceeds max block range ${limits.maxLogsBlockRange}`)
    }
  }
  // the deadline lets the backend abandon a scan the dispatcher has already answered with a timeout
  const deadline = Date.now() + limits.requestTimeoutMs
  const logs = await blocks.getLogs({ fromBlock: from, toBlock: to, addresses: c.addresses, topics: c.topics }, { maxResults: limits.maxLogsResults, deadline })
  if (logs.length > limits.maxLogsResults) {
    throw new RpcError(RPC_ERROR.LIMIT_EXCEEDED, `query returned more than ${limits.maxLogsResults} results`)
  }
  return logs.map((l) => formatLog(l, l, l.txHash, l.txIndex))
}
