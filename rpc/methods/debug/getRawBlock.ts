import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { rawBlockOf } from './rawBlock.ts'

/** debug_getRawBlock: the RLP of a block. Example: ["0x1"] -> "0xf902..." . */
export const getRawBlock: RpcMethod<'blocks'> = {
  name: 'debug_getRawBlock',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const block = await rawBlockOf(ctx, params[0])
    return block === undefined ? null : toHex(block.serialize())
  },
}
