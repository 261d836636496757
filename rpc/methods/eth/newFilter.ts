import type { RpcMethod } from '../../types.ts'
import { FILTER_KIND } from '../../filters/filterManager.ts'
import { parseLogCriteria } from '../../params/logFilter.ts'

/** eth_newFilter: install a log filter; poll it with eth_getFilterChanges. Returns the filter id. */
export const newFilter: RpcMethod = {
  name: 'eth_newFilter',
  minParams: 1,
  maxParams: 1,
  handler: (ctx, params) => ctx.filters.install(FILTER_KIND.LOGS, parseLogCriteria(params[0], 0)),
}
