import type { RpcMethod } from '../../types.ts'
import { formatSimulatedBlock } from '../../format/formatSimulatedBlock.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'
import { checkChainId } from '../../params/callRequest.ts'
import { parseSimulatePayload } from '../../params/simulatePayload.ts'

/**
 * eth_simulateV1: execute calls in a sequence of simulated blocks built on a block's state (each
 * block on the state the previous left), with per-block block and state overrides, optional
 * validation as for real txs and native transfers traced as logs. Answers each block as
 * eth_getBlockByNumber would, plus its `calls`. Example:
 * [{ "blockStateCalls": [{ "calls": [{ "from": "0xf39F...", "to": "0x7099...", "value": "0x1" }] }], "traceTransfers": true }, "latest"].
 */
export const simulateV1: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'limits'> = {
  name: 'eth_simulateV1',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const payload = parseSimulatePayload(params[0], 0)
    for (const block of payload.blocks) for (const call of block.calls) checkChainId(call, ctx.chainInfo.chainId)
    const at = await resolveStateBlock(ctx.blocks, parseBlockParam(params[1], 1))
    const { validation, traceTransfers } = payload
    const blocks = await ctx.calls.simulate({ at, blocks: payload.blocks, validation, traceTransfers, gasCap: ctx.limits.gasCap })
    return blocks.map((b) => formatSimulatedBlock(b, payload.returnFullTransactions))
  },
}
