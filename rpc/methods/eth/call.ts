import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { callFailure } from '../../revert.ts'
import { checkChainId, parseBlockOverrides, parseCallRequest, parseStateOverrides } from '../../params/callRequest.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

/**
 * eth_call: execute a message against the state of a block without creating a tx, with optional
 * state overrides (param 3) and block overrides (param 4). Reverts answer code 3 with the revert
 * data. Example: [{ "to": "0x5FbD...", "input": "0x70a08231..." }, "latest"].
 */
export const call: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'limits'> = {
  name: 'eth_call',
  minParams: 1,
  maxParams: 4,
  async handler(ctx, params) {
    const req = parseCallRequest(params[0], 0)
    checkChainId(req, ctx.chainInfo.chainId)
    const at = await resolveStateBlock(ctx.blocks, parseBlockParam(params[1], 1))
    const stateOverrides = parseStateOverrides(params[2], 2)
    const blockOverrides = parseBlockOverrides(params[3], 3)
    const result = await ctx.calls.call(req, { at, stateOverrides, blockOverrides, gasCap: ctx.limits.gasCap })
    if (result.error !== undefined) throw callFailure(result)
    return toHex(result.returnData)
  },
}
