import type { RpcMethod } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { FILTER_KIND } from '../../filters/filterManager.ts'
import { queryLogs } from '../../filters/queryLogs.ts'
import { parseFilterId } from './parseFilterId.ts'

/** eth_getFilterLogs: all logs matching a log filter's criteria (not only new ones). */
export const getFilterLogs: RpcMethod<'blocks' | 'filters' | 'limits'> = {
  name: 'eth_getFilterLogs',
  minParams: 1,
  maxParams: 1,
  handler(ctx, params) {
    const f = ctx.filters.get(parseFilterId(params[0]))
    if (f.kind !== FILTER_KIND.LOGS || f.criteria === undefined) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'filter not found')
    return queryLogs(ctx, f.criteria)
  },
}
