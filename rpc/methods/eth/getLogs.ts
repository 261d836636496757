import type { RpcMethod } from '../../types.ts'
import { queryLogs } from '../../filters/queryLogs.ts'
import { parseLogCriteria } from '../../params/logFilter.ts'

/**
 * eth_getLogs: logs matching address and topic filters (OR lists, null wildcards) over a block
 * range or one blockHash; range and result count are limited (-32005).
 * Example: [{ "fromBlock": "0x1", "toBlock": "latest", "address": "0x5FbD..." }].
 */
export const getLogs: RpcMethod<'blocks' | 'limits'> = {
  name: 'eth_getLogs',
  minParams: 1,
  maxParams: 1,
  handler: (ctx, params) => queryLogs(ctx, parseLogCriteria(params[0], 0)),
}
