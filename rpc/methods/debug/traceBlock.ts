import type { Block } from '@ethereumjs/block'
import type { RpcContextOf } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { toHex } from '../../hex.ts'
import { parseTracerConfig } from './tracerConfig.ts'
import { trimFrame } from './trimFrame.ts'

/**
 * The callTracer result of every tx of a block, geth's [{ txHash, result }]. Each tx is traced
 * through CallSimulator.traceTransaction, which replays the block up to it: quadratic in the
 * block's tx count (a block-level trace in the call executor would make it linear), bounded by
 * the request timeout.
 */
export async function traceBlock(
  ctx: RpcContextOf<'calls'>,
  block: Block | undefined,
  config: unknown,
  index: number,
): Promise<{ txHash: string; result: unknown }[]> {
  const cfg = parseTracerConfig(config, index)
  if (block === undefined) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'block not found')
  const out: { txHash: string; result: unknown }[] = []
  for (const tx of block.transactions) {
    const hash = tx.hash()
    const frame = await ctx.calls.traceTransaction(hash)
    if (frame === undefined) throw new RpcError(RPC_ERROR.NOT_FOUND, 'transaction not found')
    out.push({ txHash: toHex(hash), result: trimFrame(frame, cfg) })
  }
  return out
}
