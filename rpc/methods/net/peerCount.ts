import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'

/** net_peerCount: connected peers as a hex quantity. Example: "0x0". */
export const peerCount: RpcMethod<'network'> = {
  name: 'net_peerCount',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => toQuantity(ctx.network.peerCount()),
}
