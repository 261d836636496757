import type { DevControls } from '../../ports/index.ts'
import type { RpcContextOf } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { parseHexOrDecimal64 } from '../../params/parse.ts'

/** The node's --dev controls, or -32601 for `method` where there are none (no --dev, or not the sequencer), like evm_mine. */
export function devControlsOf(ctx: RpcContextOf<'dev' | 'control'>, method: string): DevControls {
  const controls = ctx.control.devControls
  if (!ctx.dev || controls === undefined) throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, `${method} is only available on a --dev sequencer`)
  return controls
}

/** Largest seconds / timestamp taken: evm_increaseTime answers the offset as a JSON number, which must stay exact. */
const MAX_SECONDS = BigInt(Number.MAX_SAFE_INTEGER)

/** Seconds or a timestamp as anvil and Hardhat take them: a JSON number or a hex quantity (a decimal string too), at most 2^53 - 1. */
export function parseSeconds(value: unknown, index: number, what: string): bigint {
  const n = parseHexOrDecimal64(value, index, what)
  if (n > MAX_SECONDS) throw new RpcError(RPC_ERROR.INVALID_PARAMS, `invalid argument ${index}: ${what} above 2^53 - 1`)
  return n
}
