import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { callFailure } from '../../revert.ts'
import { checkChainId, parseBlockOverrides, parseCallRequest, parseStateOverrides } from '../../params/callRequest.ts'
import { isPendingTag, parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'
import { pendingBlockOverrides } from './pendingBlock.ts'

/**
 * eth_call: execute a message against the state of a block without creating a tx, with optional
 * state overrides (param 3) and block overrides (param 4). Reverts answer code 3 with the revert
 * data. "pending" runs in the next block's environment on the head's state (pendingBlockOverrides,
 * as geth's pending block without the pool's txs). Example: [{ "to": "0x5FbD...", "input": "0x70a08231..." }, "latest"].
 */
export const call: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'limits' | 'producer'> = {
  name: 'eth_call',
  minParams: 1,
  maxParams: 4,
  async handler(ctx, params) {
    const req = parseCallRequest(params[0], 0)
    checkChainId(req, ctx.chainInfo.chainId)
    const block = parseBlockParam(params[1], 1)
    const at = await resolveStateBlock(ctx.blocks, block)
    const stateOverrides = parseStateOverrides(params[2], 2)
    const given = parseBlockOverrides(params[3], 3)
    const blockOverrides = isPendingTag(block) ? { ...pendingBlockOverrides(ctx), ...given } : given
    const result = await ctx.calls.call(req, { at, stateOverrides, blockOverrides, gasCap: ctx.limits.gasCap })
    if (result.error !== undefined) throw callFailure(result)
    return toHex(result.returnData)
  },
}
