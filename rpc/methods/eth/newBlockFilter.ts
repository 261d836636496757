import type { RpcMethod } from '../../types.ts'
import { FILTER_KIND } from '../../filters/filterManager.ts'

/** eth_newBlockFilter: install a filter that collects new block hashes. */
export const newBlockFilter: RpcMethod<'filters'> = {
  name: 'eth_newBlockFilter',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => ctx.filters.install(FILTER_KIND.BLOCKS),
}
