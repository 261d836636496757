import type { RpcMethod } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { parseFilterId } from './parseFilterId.ts'

/** eth_unsubscribe (WebSocket only): cancel a subscription of this connection; true when it existed. */
export const unsubscribe: RpcMethod = {
  name: 'eth_unsubscribe',
  minParams: 1,
  maxParams: 1,
  wsOnly: true,
  handler(_ctx, params, conn) {
    if (conn === undefined) throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, 'notifications not supported')
    const id = parseFilterId(params[0])
    const stop = conn.subscriptions.get(id)
    if (stop === undefined) return false
    stop()
    conn.subscriptions.delete(id)
    return true
  },
}
