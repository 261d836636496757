import type { CallResult } from './ports/index.ts'
import { RPC_ERROR, RpcError } from './errors.ts'
import { bytesToBigInt, toHex } from './hex.ts'

const ERROR_SELECTOR = [0x08, 0xc3, 0x79, 0xa0]
const PANIC_SELECTOR = [0x4e, 0x48, 0x7b, 0x71]

/** Solidity panic codes -> geth's wording (accounts/abi panicReasons). */
const PANIC_REASONS: Record<string, string> = {
  '0': 'generic panic',
  '1': 'assert(false)',
  '17': 'arithmetic underflow or overflow',
  '18': 'division or modulo by zero',
  '33': 'enum overflow',
  '34': 'invalid encoded storage byte array accessed',
  '49': 'out-of-bounds array access; popping on an empty array',
  '50': 'out-of-bounds access of an array or bytesN',
  '65': 'out of memory',
  '81': 'uninitialized function',
}

function hasSelector(data: Uint8Array, sel: number[]): boolean {
  return data.length >= 4 && data[0] === sel[0] && data[1] === sel[1] && data[2] === sel[2] && data[3] === sel[3]
}

/** Decode Error(string) / Panic(uint256) revert data to a reason; undefined for custom errors. */
export function decodeRevertReason(data: Uint8Array): string | undefined {
  if (hasSelector(data, ERROR_SELECTOR) && data.length >= 4 + 64) {
    const offset = bytesToBigInt(data.subarray(4, 36))
    if (offset > BigInt(data.length)) return undefined
    const o = 4 + Number(offset)
    if (o + 32 > data.length) return undefined
    const len = bytesToBigInt(data.subarray(o, o + 32))
    if (len > BigInt(data.length - o - 32)) return undefined
    return new TextDecoder('utf-8', { fatal: false }).decode(data.subarray(o + 32, o + 32 + Number(len)))
  }
  if (hasSelector(data, PANIC_SELECTOR) && data.length === 36) {
    const code = bytesToBigInt(data.subarray(4, 36))
    return PANIC_REASONS[code.toString()] ?? `unknown panic code: 0x${code.toString(16)}`
  }
  return undefined
}

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
