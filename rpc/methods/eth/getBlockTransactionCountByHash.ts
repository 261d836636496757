import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'
import { parseHash } from '../../params/parse.ts'

/** eth_getBlockTransactionCountByHash: number of txs in a block; null when unknown. */
export const getBlockTransactionCountByHash: RpcMethod<'blocks'> = {
  name: 'eth_getBlockTransactionCountByHash',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const block = await ctx.blocks.getBlockByHash(parseHash(params[0], 0))
    return block === undefined ? null : toQuantity(block.transactions.length)
  },
}
