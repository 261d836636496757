import type { RpcMethod } from '../../types.ts'
import { parseBlockNumberOrTag, resolveBlock } from '../../params/blockParam.ts'

/** eth_getUncleCountByBlockNumber: always "0x0" for an existing block (no uncles after the merge); null when absent. */
export const getUncleCountByBlockNumber: RpcMethod<'blocks'> = {
  name: 'eth_getUncleCountByBlockNumber',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const block = await resolveBlock(ctx.blocks, parseBlockNumberOrTag(params[0], 0))
    return block === undefined ? null : '0x0'
  },
}
