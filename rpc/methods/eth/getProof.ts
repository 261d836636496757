import type { RpcMethod } from '../../types.ts'
import { badArg, parseAddressHex, parseSlot } from '../../params/parse.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

/** eth_getProof: EIP-1186 account and storage Merkle proofs at a block. */
export const getProof: RpcMethod<'blocks' | 'state'> = {
  name: 'eth_getProof',
  minParams: 2,
  maxParams: 3,
  async handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    if (!Array.isArray(params[1])) throw badArg(1, 'storage keys must be an array')
    const slots = params[1].map((s) => parseSlot(s, 1))
    const n = await resolveStateBlock(ctx.blocks, parseBlockParam(params[2], 2))
    return ctx.state.getProof(address, slots, n)
  },
}
