import type { RpcMethod } from '../../types.ts'
import { formatReceipt, receiptBlock } from '../../format/formatReceipt.ts'
import { parseBlockParam, resolveBlock } from '../../params/blockParam.ts'

/** eth_getBlockReceipts: all receipts of a block (EIP-1898 param); null when the block is absent. */
export const getBlockReceipts: RpcMethod<'blocks'> = {
  name: 'eth_getBlockReceipts',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const block = await resolveBlock(ctx.blocks, parseBlockParam(params[0], 0))
    if (block === undefined) return null
    const b = receiptBlock(block.header)
    const receipts = (await ctx.blocks.getReceipts(b.blockHash)) ?? []
    return receipts.map((r) => formatReceipt(r, b))
  },
}
