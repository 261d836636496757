import type { RpcMethod } from '../../types.ts'
import { FILTER_KIND } from '../../filters/filterManager.ts'
import { liveLogRange } from '../../filters/liveLogRange.ts'
import { parseLogCriteria } from '../../params/logFilter.ts'

/**
 * eth_newFilter: install a log filter; poll it with eth_getFilterChanges. Returns the filter id.
 * Its range is checked as geth checks a live filter's ("pending" and invalid ranges: -32602).
 * Example: [{ "address": "0x5FbD...", "fromBlock": "0x10" }].
 */
export const newFilter: RpcMethod<'filters'> = {
  name: 'eth_newFilter',
  minParams: 1,
  maxParams: 1,
  handler(ctx, params) {
    const criteria = parseLogCriteria(params[0], 0)
    liveLogRange(criteria)
    return ctx.filters.install(FILTER_KIND.LOGS, criteria)
  },
}
