import type { RpcContextOf } from '../types.ts'
import type { LogCriteria } from '../params/logFilter.ts'
import { RPC_ERROR, RpcError } from '../errors.ts'
import { tagToNumber } from '../params/blockParam.ts'
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
    const block = await blocks.getBlockByHash(c.blockHash)
    if (block === undefined) throw new RpcError(RPC_ERROR.NOT_FOUND, 'unknown block')
    from = to = block.header.number
  } else {
    if (c.fromBlock.kind === 'hash' || c.toBlock.kind === 'hash') throw new RpcError(RPC_ERROR.INVALID_PARAMS, 'invalid block range')
    const head = blocks.head().header.number
    from = tagToNumber(blocks, c.fromBlock)
    to = tagToNumber(blocks, c.toBlock)
    if (to > head) to = head
    if (from > to) {
      if (from > head) return []
      throw new RpcError(RPC_ERROR.INVALID_INPUT, 'invalid block range params')
    }
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
