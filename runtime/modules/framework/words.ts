import type { Hex } from '../../../genesis/index.ts'

/** A 32-byte word as 0x-hex (how bytes32 arguments and storage keys are written). */
export function toBytes32(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, '0')}`
}

/** A short text as a bytes32 label: its UTF-8 bytes, right-padded with zeros (at most 32 bytes kept). */
export function textToBytes32(text: string): Hex {
  return `0x${Buffer.from(text, 'utf8').subarray(0, 32).toString('hex').padEnd(64, '0')}`
}

/**
 * OZ's `_encodeStateBitmap` over several states of an enum (proposal or operation states): bit
 * `state` set for each, as the `expectedStates` bytes32 of OZ's unexpected-state errors.
 */
export function stateBitmap(...states: readonly number[]): bigint {
  let bits = 0n
  for (const s of states) bits |= 1n << BigInt(s)
  return bits
}
