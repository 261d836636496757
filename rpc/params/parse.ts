import { invalidParams } from '../errors.ts'
import { hasHexPrefix, hexToBytesUnchecked, isHexBody } from '../hex.ts'

/**
 * Parameter decoders with geth's strictness and wording ("invalid argument N: ..."), so that
 * clients see the same -32602 messages they see from geth.
 */

/** An invalid-params error for argument `index`. */
export function badArg(index: number, reason: string) {
  return invalidParams(`invalid argument ${index}: ${reason}`)
}

function hexString(value: unknown, index: number, what: string): string {
  if (typeof value !== 'string') throw badArg(index, `json: cannot unmarshal ${jsonKind(value)} into Go value of type ${what}`)
  if (!hasHexPrefix(value)) throw badArg(index, 'hex string without 0x prefix')
  if (!isHexBody(value)) throw badArg(index, 'invalid hex string')
  return value
}

/** JSON type name as Go's encoding/json reports it. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'object') return 'object'
  return typeof value
}

/** Hex quantity (0x-prefixed, no leading zeros, at most 256 bits). */
export function parseQuantity(value: unknown, index: number): bigint {
  const s = hexString(value, index, 'hexutil.Big')
  if (s.length === 2) throw badArg(index, 'hex string "0x"')
  if (s.length > 3 && s.charCodeAt(2) === 48) throw badArg(index, 'hex number with leading zero digits')
  if (s.length > 66) throw badArg(index, 'hex number > 256 bits')
  return BigInt(s)
}

/** Hex quantity that must fit in 64 bits (block numbers, gas, nonces). */
export function parseUint64(value: unknown, index: number): bigint {
  const s = hexString(value, index, 'hexutil.Uint64')
  if (s.length === 2) throw badArg(index, 'hex string "0x"')
  if (s.length > 3 && s.charCodeAt(2) === 48) throw badArg(index, 'hex number with leading zero digits')
  if (s.length > 18) throw badArg(index, 'hex number > 64 bits')
  return BigInt(s)
}

const MAX_UINT64 = 2n ** 64n - 1n

/**
 * A uint64 given as a hex quantity or in decimal, as a JSON number or string (geth's
 * math.HexOrDecimal64; anvil and Hardhat take seconds and timestamps either way too).
 * `what` names it in the error ("invalid block count").
 */
export function parseHexOrDecimal64(value: unknown, index: number, what: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw badArg(index, `invalid ${what}`)
    return BigInt(value)
  }
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) {
    const n = BigInt(value)
    if (n > MAX_UINT64) throw badArg(index, `invalid ${what}`)
    return n
  }
  return parseUint64(value, index)
}

/** Arbitrary-length hex data (even number of digits). */
export function parseData(value: unknown, index: number): Uint8Array {
  const s = hexString(value, index, 'hexutil.Bytes')
  if ((s.length & 1) === 1) throw badArg(index, 'hex string of odd length')
  return hexToBytesUnchecked(s)
}

/** Hex data of exactly `length` bytes. */
export function parseFixedData(value: unknown, index: number, length: number, what: string): Uint8Array {
  const s = hexString(value, index, what)
  if (s.length !== 2 + 2 * length) throw badArg(index, `hex string has length ${s.length - 2}, want ${2 * length} for ${what}`)
  return hexToBytesUnchecked(s)
}

/** 20-byte address as bytes. */
export function parseAddress(value: unknown, index: number): Uint8Array {
  return parseFixedData(value, index, 20, 'common.Address')
}

/** 20-byte address as a lowercase 0x-hex string (the state-read key). */
export function parseAddressHex(value: unknown, index: number): string {
  const s = hexString(value, index, 'common.Address')
  if (s.length !== 42) throw badArg(index, `hex string has length ${s.length - 2}, want 40 for common.Address`)
  return s.toLowerCase()
}

/** 32-byte hash. */
export function parseHash(value: unknown, index: number): Uint8Array {
  return parseFixedData(value, index, 32, 'common.Hash')
}

/** Storage slot: any hex quantity or data up to 32 bytes, left-padded to 32 (geth accepts both). */
export function parseSlot(value: unknown, index: number): Uint8Array {
  const s = hexString(value, index, 'common.Hash')
  if (s.length > 66) throw badArg(index, 'hex string too long, want at most 32 bytes')
  const body = (s.length & 1) === 1 ? '0x0' + s.slice(2) : s
  const bytes = hexToBytesUnchecked(body)
  const out = new Uint8Array(32)
  out.set(bytes, 32 - bytes.length)
  return out
}

/** A storage key as eth_getStorageAt / eth_getProof take it: the 32-byte slot and the form to echo back. */
export type StorageKey = { slot: Uint8Array; echo: string }

/**
 * A storage key the way geth decodes it (internal/ethapi decodeStorageKey): 0x prefix optional,
 * an odd digit count padded, at most 32 bytes; errors are -32602 naming the key. `echo` is what
 * eth_getProof answers as the key: the key as 32-byte hex when it was given as 32 bytes, else its
 * value as a quantity ("0x01" and "0x0001" both echo "0x1"), geth's backward-compatible rule.
 */
export function parseStorageKey(value: unknown, index: number): StorageKey {
  if (typeof value !== 'string') throw badArg(index, `json: cannot unmarshal ${jsonKind(value)} into Go value of type string`)
  let body = hasHexPrefix(value) ? value.slice(2) : value
  if ((body.length & 1) === 1) body = '0' + body
  if (body.length > 64) throw invalidParams(`storage key too long (want at most 32 bytes): ${JSON.stringify(value)}`)
  const hex = '0x' + body
  if (!isHexBody(hex)) throw invalidParams(`invalid hex in storage key: ${JSON.stringify(value)}`)
  const bytes = hexToBytesUnchecked(hex)
  const slot = new Uint8Array(32)
  slot.set(bytes, 32 - bytes.length)
  return { slot, echo: bytes.length === 32 ? hex.toLowerCase() : '0x' + (body.length === 0 ? 0n : BigInt(hex)).toString(16) }
}

/** Boolean parameter. */
export function parseBool(value: unknown, index: number): boolean {
  if (typeof value !== 'boolean') throw badArg(index, `json: cannot unmarshal ${jsonKind(value)} into Go value of type bool`)
  return value
}

/** Plain JSON object parameter. */
export function parseObject(value: unknown, index: number, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badArg(index, `json: cannot unmarshal ${jsonKind(value)} into Go value of type ${what}`)
  }
  return value as Record<string, unknown>
}

/** A field `o` must carry: missing or null is geth's "missing required field 'name' for Type". */
export function requiredField(o: Record<string, unknown>, name: string, index: number, what: string): unknown {
  const v = o[name]
  if (v === undefined || v === null) throw badArg(index, `missing required field '${name}' for ${what}`)
  return v
}
