import type { RpcMethod } from '../../types.ts'
import { formatStoredTx } from '../../format/formatBlock.ts'
import { parseUint64 } from '../../params/parse.ts'
import { parseBlockNumberOrTag, resolveBlock } from '../../params/blockParam.ts'

/** eth_getTransactionByBlockNumberAndIndex: tx at a position; null when absent. */
export const getTransactionByBlockNumberAndIndex: RpcMethod<'blocks'> = {
  name: 'eth_getTransactionByBlockNumberAndIndex',
  minParams: 2,
  maxParams: 2,
  async handler(ctx, params) {
    const p = parseBlockNumberOrTag(params[0], 0)
    const index = parseUint64(params[1], 1)
    const block = await resolveBlock(ctx.blocks, p)
    if (block === undefined || index >= BigInt(block.transactions.length)) return null
    const i = Number(index)
    return formatStoredTx(block, i, (h) => ctx.blocks.getReceipts(h))
  },
}
