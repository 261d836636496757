import type { RpcMethod } from '../../types.ts'
import { parseBlockNumberOrTag, resolveBlock } from '../../params/blockParam.ts'
import { traceBlock } from './traceBlock.ts'

/** debug_traceBlockByNumber (callTracer): every tx of a block. Example: ["0x1", { "tracer": "callTracer" }] -> [{ txHash, result }]. */
export const traceBlockByNumber: RpcMethod<'blocks' | 'calls'> = {
  name: 'debug_traceBlockByNumber',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const block = await resolveBlock(ctx.blocks, parseBlockNumberOrTag(params[0], 0))
    return traceBlock(ctx, block, params[1], 1)
  },
}
