import type { RpcMethod } from '../../types.ts'
import { toHex, toQuantity } from '../../hex.ts'
import { decodeRevertReason } from '../../revert.ts'
import { checkChainId, parseCallRequest, parseStateOverrides } from '../../params/callRequest.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

/**
 * eth_createAccessList: the EIP-2930 access list the call touches (sender, recipient and
 * precompiles excluded) and the gas used with it; a failed call reports `error` (geth).
 */
export const createAccessList: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'limits'> = {
  name: 'eth_createAccessList',
  minParams: 1,
  maxParams: 3,
  async handler(ctx, params) {
    const req = parseCallRequest(params[0], 0)
    checkChainId(req, ctx.chainInfo.chainId)
    const at = await resolveStateBlock(ctx.blocks, parseBlockParam(params[1], 1))
    const stateOverrides = parseStateOverrides(params[2], 2)
    const { accessList, result } = await ctx.calls.createAccessList(req, { at, stateOverrides, gasCap: ctx.limits.gasCap })
    const out: Record<string, unknown> = {
      accessList: accessList.map((e) => ({ address: toHex(e.address), storageKeys: e.storageKeys.map(toHex) })),
      gasUsed: toQuantity(result.gasUsed),
    }
    if (result.error !== undefined) {
      const reason = result.error === 'revert' ? decodeRevertReason(result.returnData) : undefined
      out.error = result.error === 'revert' ? (reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`) : result.error
    }
    return out
  },
}
