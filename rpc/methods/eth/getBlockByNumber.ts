import type { RpcMethod } from '../../types.ts'
import { formatStoredBlock } from '../../format/formatBlock.ts'
import { parseBool } from '../../params/parse.ts'
import { parseBlockNumberOrTag, resolveBlock } from '../../params/blockParam.ts'

/** eth_getBlockByNumber: block by number or tag, txs hydrated when the flag is true; null when absent. */
export const getBlockByNumber: RpcMethod<'blocks'> = {
  name: 'eth_getBlockByNumber',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const p = parseBlockNumberOrTag(params[0], 0)
    const hydrated = params[1] === undefined ? false : parseBool(params[1], 1)
    const block = await resolveBlock(ctx.blocks, p)
    return block === undefined ? null : await formatStoredBlock(block, hydrated, (hash) => ctx.blocks.getReceipts(hash))
  },
}
