import type { RpcMethod } from '../../types.ts'
import { parseFilterId } from './parseFilterId.ts'

/** eth_uninstallFilter: remove a filter; true when it existed. */
export const uninstallFilter: RpcMethod<'filters'> = {
  name: 'eth_uninstallFilter',
  minParams: 1,
  maxParams: 1,
  handler: (ctx, params) => ctx.filters.uninstall(parseFilterId(params[0])),
}
