import type { RpcMethod } from '../../types.ts'
import { parseHash } from '../../params/parse.ts'
import { traceBlock } from './traceBlock.ts'

/** debug_traceBlockByHash (callTracer): every tx of a block. Example: ["0xabc...", { "tracer": "callTracer" }] -> [{ txHash, result }]. */
export const traceBlockByHash: RpcMethod<'blocks' | 'calls'> = {
  name: 'debug_traceBlockByHash',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const block = await ctx.blocks.getBlockByHash(parseHash(params[0], 0))
    return traceBlock(ctx, block, params[1], 1)
  },
}
