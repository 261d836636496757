import type { RpcMethod } from '../../types.ts'
import { parseFilterId } from './parseFilterId.ts'

/** eth_getFilterChanges: changes since the last poll (logs, block hashes or tx hashes). */
export const getFilterChanges: RpcMethod<'filters'> = {
  name: 'eth_getFilterChanges',
  minParams: 1,
  maxParams: 1,
  handler: (ctx, params) => ctx.filters.changes(parseFilterId(params[0])),
}
