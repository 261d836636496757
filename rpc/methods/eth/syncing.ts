import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'

/** eth_syncing: false when in sync, else {startingBlock, currentBlock, highestBlock}. */
export const syncing: RpcMethod<'network'> = {
  name: 'eth_syncing',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => {
    const s = ctx.network.syncStatus()
    if (s === undefined) return false
    return {
      startingBlock: toQuantity(s.startingBlock),
      currentBlock: toQuantity(s.currentBlock),
      highestBlock: toQuantity(s.highestBlock),
    }
  },
}
