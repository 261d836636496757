import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { rawBlockOf } from './rawBlock.ts'

/** debug_getRawHeader: the RLP of a block header. Example: ["latest"] -> "0xf90240...". */
export const getRawHeader: RpcMethod<'blocks'> = {
  name: 'debug_getRawHeader',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const block = await rawBlockOf(ctx, params[0])
    return block === undefined ? null : toHex(block.header.serialize())
  },
}
