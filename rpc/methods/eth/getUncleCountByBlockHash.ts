import type { RpcMethod } from '../../types.ts'
import { parseHash } from '../../params/parse.ts'

/** eth_getUncleCountByBlockHash: always "0x0" for an existing block (no uncles after the merge); null when absent. */
export const getUncleCountByBlockHash: RpcMethod<'blocks'> = {
  name: 'eth_getUncleCountByBlockHash',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const block = await ctx.blocks.getBlockByHash(parseHash(params[0], 0))
    return block === undefined ? null : '0x0'
  },
}
