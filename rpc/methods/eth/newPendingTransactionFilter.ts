import type { RpcMethod } from '../../types.ts'
import { FILTER_KIND } from '../../filters/filterManager.ts'

/** eth_newPendingTransactionFilter: install a filter that collects hashes of new pending txs. */
export const newPendingTransactionFilter: RpcMethod<'filters'> = {
  name: 'eth_newPendingTransactionFilter',
  minParams: 0,
  maxParams: 1,
  handler: (ctx) => ctx.filters.install(FILTER_KIND.PENDING),
}
