import type { RpcMethod } from '../../types.ts'
import { formatStoredBlock } from '../../format/formatBlock.ts'
import { parseBool, parseHash } from '../../params/parse.ts'

/** eth_getBlockByHash: block by hash, txs hydrated when the flag is true; null when unknown. */
export const getBlockByHash: RpcMethod<'blocks'> = {
  name: 'eth_getBlockByHash',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const hash = parseHash(params[0], 0)
    const hydrated = params[1] === undefined ? false : parseBool(params[1], 1)
    const block = await ctx.blocks.getBlockByHash(hash)
    return block === undefined ? null : await formatStoredBlock(block, hydrated, (hash) => ctx.blocks.getReceipts(hash))
  },
}
