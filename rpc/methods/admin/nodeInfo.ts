import type { RpcMethod } from '../../types.ts'
import { toHex, toQuantity } from '../../hex.ts'

/**
 * admin_nodeInfo (geth's shape where it applies): `{ id, name, listenAddrs, ports: { listener },
 * protocols: { openledger: { network, genesis, head, headNumber, role } } }`; `id` is the libp2p peer
 * id and `listenAddrs` the multiaddrs other nodes pass to --p2p.bootnodes. `id` is null and
 * `listenAddrs` empty on a node without p2p (--p2p.enabled off).
 */
export const nodeInfo: RpcMethod<'network' | 'blocks' | 'chainInfo' | 'clientVersion'> = {
  name: 'admin_nodeInfo',
  minParams: 0,
  maxParams: 0,
  handler: async (ctx) => {
    const info = ctx.network.nodeInfo()
    const head = ctx.blocks.head()
    const genesis = await ctx.blocks.getBlockByNumber(0n)
    return {
      id: info?.id ?? null,
      name: ctx.clientVersion,
      listenAddrs: info?.listenAddrs ?? [],
      ports: { listener: info?.port ?? 0 },
      protocols: {
        openledger: {
          network: Number(ctx.chainInfo.chainId),
          genesis: genesis === undefined ? null : toHex(genesis.hash()),
          head: toHex(head.hash()),
          headNumber: toQuantity(head.header.number),
          role: info?.role ?? null,
        },
      },
    }
  },
}
