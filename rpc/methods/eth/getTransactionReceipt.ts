import type { RpcMethod } from '../../types.ts'
import { formatReceipt, receiptBlock } from '../../format/formatReceipt.ts'
import { parseHash } from '../../params/parse.ts'

/** eth_getTransactionReceipt: receipt of a mined tx; null while pending or unknown. */
export const getTransactionReceipt: RpcMethod<'blocks'> = {
  name: 'eth_getTransactionReceipt',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const hash = parseHash(params[0], 0)
    const loc = await ctx.blocks.getTxLocation(hash)
    if (loc === undefined) return null
    const [receipts, header] = await Promise.all([ctx.blocks.getReceipts(loc.blockHash), ctx.blocks.getHeaderByHash(loc.blockHash)])
    const r = receipts?.[loc.index]
    if (r === undefined || header === undefined) return null
    return formatReceipt(r, receiptBlock(header))
  },
}
