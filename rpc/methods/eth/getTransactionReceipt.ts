import type { RpcMethod } from '../../types.ts'
import { formatReceipt } from '../../format/formatReceipt.ts'
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
    const receipts = await ctx.blocks.getReceipts(loc.blockHash)
    const r = receipts?.[loc.index]
    if (r === undefined) return null
    return formatReceipt(r, { blockHash: loc.blockHash, blockNumber: loc.blockNumber })
  },
}
