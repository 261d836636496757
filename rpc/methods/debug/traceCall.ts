import type { RpcMethod } from '../../types.ts'
import { parseObject } from '../../params/parse.ts'
import { checkChainId, parseBlockOverrides, parseCallRequest, parseStateOverrides } from '../../params/callRequest.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'
import { parseTracerConfig } from './tracerConfig.ts'
import { trimFrame } from './trimFrame.ts'

/**
 * debug_traceCall with the callTracer: like eth_call (with stateOverrides / blockOverrides in the
 * config object) but returns the call tree. Example: [{ "to": "0x..", "input": "0x.." }, "latest", { "tracer": "callTracer" }].
 */
export const traceCall: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'limits'> = {
  name: 'debug_traceCall',
  minParams: 1,
  maxParams: 3,
  async handler(ctx, params) {
    const req = parseCallRequest(params[0], 0)
    checkChainId(req, ctx.chainInfo.chainId)
    const at = await resolveStateBlock(ctx.blocks, parseBlockParam(params[1], 1))
    const cfg = parseTracerConfig(params[2], 2)
    const o = parseObject(params[2], 2, 'tracers.TraceCallConfig')
    const stateOverrides = parseStateOverrides(o.stateOverrides, 2)
    const blockOverrides = parseBlockOverrides(o.blockOverrides, 2)
    const frame = await ctx.calls.traceCall(req, { at, stateOverrides, blockOverrides, gasCap: ctx.limits.gasCap })
    return trimFrame(frame, cfg)
  },
}
