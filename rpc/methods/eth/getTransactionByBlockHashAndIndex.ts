import type { RpcMethod } from '../../types.ts'
import { formatStoredTx } from '../../format/formatBlock.ts'
import { parseHash, parseUint64 } from '../../params/parse.ts'

/** eth_getTransactionByBlockHashAndIndex: tx at a position; null when absent. */
export const getTransactionByBlockHashAndIndex: RpcMethod<'blocks'> = {
  name: 'eth_getTransactionByBlockHashAndIndex',
  minParams: 2,
  maxParams: 2,
  async handler(ctx, params) {
    const hash = parseHash(params[0], 0)
    const index = parseUint64(params[1], 1)
    const block = await ctx.blocks.getBlockByHash(hash)
    if (block === undefined || index >= BigInt(block.transactions.length)) return null
    const i = Number(index)
    return formatStoredTx(block, i, (h) => ctx.blocks.getReceipts(h))
  },
}
