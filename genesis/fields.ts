import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Hex } from './types.ts'
import { GENESIS_ERROR, fieldError } from './errors.ts'

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>

/** 2^256 - 1: the largest EVM word (balances, storage values). */
export const MAX_UINT256 = (1n << 256n) - 1n
/** 2^64 - 1: the largest header integer (gas limit, timestamp, nonce). */
export const MAX_UINT64 = (1n << 64n) - 1n

const HEX_QUANTITY = /^0x[0-9a-fA-F]+$/
const DEC_QUANTITY = /^[0-9]+$/
const HEX_DATA = /^0x([0-9a-fA-F]{2})*$/
const ADDRESS = /^(0x)?[0-9a-fA-F]{40}$/

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Join a JSON path: joinPath('baseFee', 'initial') = 'baseFee.initial'; root keys have no dot. */
export function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`
}

/** Throw UNKNOWN_FIELD for the first key of `obj` not in `allowed` (sorted, so the error is stable). */
export function rejectUnknownKeys(obj: JsonObject, allowed: readonly string[], parent: string): void {
  for (const key of Object.keys(obj).sort()) {
    if (!allowed.includes(key)) {
      throw fieldError(GENESIS_ERROR.UNKNOWN_FIELD, joinPath(parent, key), `is not a known field (expected one of: ${allowed.join(', ')})`)
    }
  }
}

/** The value at obj[key], or MISSING_FIELD naming its path. */
export function requireField(obj: JsonObject, key: string, parent: string): unknown {
  const value = obj[key]
  if (value === undefined || value === null) {
    throw fieldError(GENESIS_ERROR.MISSING_FIELD, joinPath(parent, key), 'is required')
  }
  return value
}

/** A nested object at `path`. */
export function readObject(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be a JSON object')
  return value
}

/** A JSON array at `path`. */
export function readArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be a JSON array')
  return value
}

/** A JSON boolean at `path`. */
export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be true or false')
  return value
}

/**
 * An unsigned integer quantity: a JSON number (safe integers only, so no precision is lost), a
 * decimal string, or a 0x hex string. Bounds are inclusive.
 */
export function readQuantity(value: unknown, path: string, min = 0n, max = MAX_UINT256): bigint {
  let n: bigint
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be an integer; numbers above 2^53 must be written as decimal or 0x strings')
    }
    n = BigInt(value)
  } else if (typeof value === 'string' && (HEX_QUANTITY.test(value) || DEC_QUANTITY.test(value))) {
    n = BigInt(value)
  } else {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, `must be an integer >= ${min} (a JSON number, a decimal string or a 0x hex string)`)
  }
  if (n < min) throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, `must be an integer >= ${min}`)
  if (n > max) throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, `must be an integer <= ${max}`)
  return n
}

/** A small integer (seconds, versions) as a JS number within [min, max]. */
export function readSmallInt(value: unknown, path: string, min: number, max: number): number {
  const n = readQuantity(value, path, BigInt(min), BigInt(max))
  return Number(n)
}

/** Hex bytes: "0x" followed by an even number of hex digits; returned lowercase. */
export function readHexData(value: unknown, path: string, maxBytes?: number): Hex {
  if (typeof value !== 'string' || !HEX_DATA.test(value)) {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be a 0x-prefixed hex string of whole bytes')
  }
  if (maxBytes !== undefined && (value.length - 2) / 2 > maxBytes) {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, `must be at most ${maxBytes} bytes`)
  }
  return value.toLowerCase() as Hex
}

/** A 32-byte word given as 0x hex of 1..32 bytes (or any hex quantity); returned left-padded lowercase. */
export function readWord(value: unknown, path: string): Hex {
  if (typeof value !== 'string' || !HEX_QUANTITY.test(value) || value.length > 66) {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be a 0x hex string of at most 32 bytes')
  }
  return `0x${value.slice(2).toLowerCase().padStart(64, '0')}`
}

/** EIP-55 checksum form of a lowercase 40-hex-digit address (without 0x). */
export function toChecksumAddress(address: string): Hex {
  const lower = address.replace(/^0x/, '').toLowerCase()
  const hash = keccak_256(new TextEncoder().encode(lower))
  let out = '0x'
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 === 0 ? 4 : 0)) & 0xf
    out += nibble >= 8 ? lower[i]!.toUpperCase() : lower[i]!
  }
  return out as Hex
}

/**
 * A 20-byte address, 0x-prefixed (or bare, where `allowBare`, as geth alloc keys are). All-lower or
 * all-upper case is accepted as is; mixed case must be a valid EIP-55 checksum. Returned lowercase.
 */
export function readAddress(value: unknown, path: string, allowBare = false): Hex {
  if (typeof value !== 'string' || !ADDRESS.test(value) || (!allowBare && !value.startsWith('0x'))) {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be a 0x-prefixed 20-byte hex address')
  }
  const digits = value.replace(/^0x/, '')
  const lower = digits.toLowerCase()
  if (digits !== lower && digits !== digits.toUpperCase() && toChecksumAddress(lower) !== `0x${digits}`) {
    throw fieldError(GENESIS_ERROR.BAD_CHECKSUM, path, `has an invalid EIP-55 checksum (expected ${toChecksumAddress(lower)})`)
  }
  return `0x${lower}`
}
