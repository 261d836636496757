import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { parseAddressHex } from '../../params/parse.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

/** eth_getCode: runtime bytecode at a block ("0x" for accounts without code). */
export const getCode: RpcMethod<'blocks' | 'state'> = {
  name: 'eth_getCode',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    const n = await resolveStateBlock(ctx.blocks, parseBlockParam(params[1], 1))
    return toHex(await ctx.state.getCode(address, n))
  },
}
