import type { RpcMethod } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { parseFilterId } from './parseFilterId.ts'

/**
 * eth_unsubscribe: cancel a subscription of this WebSocket connection; true when it existed.
 * Like geth, an unknown id (and any id over HTTP, which has no subscriptions) answers -32000
 * "subscription not found". Example: ["0x9cef478923ff08bf67fde6c64013158d"].
 */
export const unsubscribe: RpcMethod<never> = {
  name: 'eth_unsubscribe',
  minParams: 1,
  maxParams: 1,
  handler(_ctx, params, conn) {
    const id = parseFilterId(params[0])
    const stop = conn?.subscriptions.get(id)
    if (conn === undefined || stop === undefined) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'subscription not found')
    stop()
    conn.subscriptions.delete(id)
    return true
  },
}
