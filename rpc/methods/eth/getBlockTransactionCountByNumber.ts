import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'
import { parseBlockNumberOrTag, resolveBlock } from '../../params/blockParam.ts'

/** eth_getBlockTransactionCountByNumber: number of txs in a block; null when absent. */
export const getBlockTransactionCountByNumber: RpcMethod<'blocks'> = {
  name: 'eth_getBlockTransactionCountByNumber',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const block = await resolveBlock(ctx.blocks, parseBlockNumberOrTag(params[0], 0))
    return block === undefined ? null : toQuantity(block.transactions.length)
  },
}
