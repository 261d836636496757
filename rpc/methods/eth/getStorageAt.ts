import type { RpcMethod } from '../../types.ts'
import { padLeft, toHex } from '../../hex.ts'
import { parseAddressHex, parseStorageKey } from '../../params/parse.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

/** eth_getStorageAt: 32-byte storage word at a slot (any hex up to 32 bytes, geth's decodeStorageKey) and block. Example: ["0x5FbD...", "0x0", "latest"]. */
export const getStorageAt: RpcMethod<'blocks' | 'state'> = {
  name: 'eth_getStorageAt',
  minParams: 2,
  maxParams: 3,
  async handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    const { slot } = parseStorageKey(params[1], 1)
    const n = await resolveStateBlock(ctx.blocks, parseBlockParam(params[2], 2))
    return toHex(padLeft(await ctx.state.getStorageAt(address, slot, n), 32))
  },
}
