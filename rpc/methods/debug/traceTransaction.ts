import type { RpcMethod } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { parseHash } from '../../params/parse.ts'
import { parseTracerConfig } from './tracerConfig.ts'
import { trimFrame } from './trimFrame.ts'

/**
 * debug_traceTransaction with the callTracer: re-executes the tx on its block's pre-state and
 * returns the call tree (type, from, to, value, gas, gasUsed, input, output, error, revertReason, calls).
 * Example: ["0xabc...", { "tracer": "callTracer" }].
 */
export const traceTransaction: RpcMethod<'calls'> = {
  name: 'debug_traceTransaction',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const hash = parseHash(params[0], 0)
    const cfg = parseTracerConfig(params[1], 1)
    const frame = await ctx.calls.traceTransaction(hash)
    if (frame === undefined) throw new RpcError(RPC_ERROR.NOT_FOUND, 'transaction not found')
    return trimFrame(frame, cfg)
  },
}
