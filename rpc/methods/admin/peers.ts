import type { RpcMethod } from '../../types.ts'
import { toHex, toQuantity } from '../../hex.ts'

/**
 * admin_peers: the connected peers, `[{ id, address, direction, score, head }]` (`head` is
 * `{ number, hash }` as the peer last reported it, or null). Empty without p2p.
 */
export const peers: RpcMethod<'network'> = {
  name: 'admin_peers',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) =>
    ctx.network.peers().map((p) => ({
      id: p.id,
      address: p.address,
      direction: p.direction,
      score: p.score,
      head: p.head === undefined ? null : { number: toQuantity(p.head.number), hash: toHex(p.head.hash) },
    })),
}
