import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { AbiError, AbiFunction } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import type { ModuleCallResult, ModuleContext } from './types.ts'

/** Solidity's Panic(uint256) codes a module raises the way compiled code would. */
export const PANIC = {
  /** pop from an empty array or queue */
  EMPTY_POP: 0x31n,
  /** array index out of bounds */
  OUT_OF_BOUNDS: 0x32n,
} as const

const PANIC_ERROR = AbiError.from('error Panic(uint256 code)')

/** Revert with Solidity's Panic(code) (not part of any module ABI, as in Solidity). */
export function panic(ctx: Pick<ModuleContext, 'revertRaw'>, code: bigint): never {
  return ctx.revertRaw(hexToBytes(AbiError.encode(PANIC_ERROR, [code])))
}

/**
 * OZ's Address.verifyCallResult: a failed call bubbles its revert data, or reverts with
 * `FailedCall()` (which the module's ABI must list) when there is none.
 */
export function verifyCallResult(ctx: ModuleContext, result: ModuleCallResult): Uint8Array {
  if (result.success) return result.returnData
  if (result.returnData.length > 0) ctx.revertRaw(result.returnData)
  return ctx.revert('FailedCall')
}

/**
 * A Solidity high-level call to another contract or module: `fn(args)` with `value`, a failure
 * bubbled up, the result decoded (undecodable return data reverts without data, as Solidity).
 * `view` functions go out as STATICCALL.
 */
export async function callFunction(ctx: ModuleContext, to: Hex, fn: AbiFunction.AbiFunction, args: readonly unknown[] = [], value = 0n): Promise<unknown> {
  const data = hexToBytes(AbiFunction.encodeData(fn, args as never))
  const isView = fn.stateMutability === 'view' || fn.stateMutability === 'pure'
  const result = isView ? await ctx.staticcall(to, data) : await ctx.call(to, value, data)
  if (!result.success) ctx.revertRaw(result.returnData)
  if (fn.outputs.length === 0) return undefined
  try {
    return AbiFunction.decodeResult(fn, bytesToHex(result.returnData) as Hex)
  } catch {
    return ctx.revertRaw(new Uint8Array(0))
  }
}
