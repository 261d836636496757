import { decodeRevertReason } from '../runtime/index.ts'
import type { CallResult } from './ports/index.ts'
import { RPC_ERROR, RpcError } from './errors.ts'
import { toHex } from './hex.ts'

export { decodeRevertReason }

/**
 * The error geth returns for a failed call: code 3 "execution reverted[: reason]" with the revert
 * bytes in `data` for REVERT; -32000 with the halt reason (e.g. "out of gas") otherwise.
 */
export function callFailure(result: CallResult): RpcError {
  if (result.error === 'revert') {
    const reason = decodeRevertReason(result.returnData)
    const message = reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`
    return new RpcError(RPC_ERROR.REVERTED, message, { data: toHex(result.returnData) })
  }
  return new RpcError(RPC_ERROR.INVALID_INPUT, result.error ?? 'execution failed')
}
