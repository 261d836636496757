/**
 * Hex encoding for the RPC hot path: table-driven, no regex, no intermediate arrays.
 * Quantities are "0x"-prefixed without leading zeros; data is "0x"-prefixed, two digits a byte.
 */

const HEX_BYTE: string[] = []
for (let i = 0; i < 256; i++) HEX_BYTE.push(i.toString(16).padStart(2, '0'))

/** value of a hex digit char code, or -1 */
const HEX_VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i
  HEX_VALUE[97 + i] = 10 + i
}

/** Bytes -> lowercase 0x-hex. */
export function toHex(bytes: Uint8Array): string {
  let out = '0x'
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTE[bytes[i]!]
  return out
}

/** Bigint or number -> hex quantity ("0x0", "0x1f"). */
export function toQuantity(value: bigint | number): string {
  return '0x' + value.toString(16)
}

/** Hex quantity or undefined -> null-safe hex quantity. */
export function toQuantityOrNull(value: bigint | number | undefined): string | null {
  return value === undefined ? null : '0x' + value.toString(16)
}

/** True when every char after the 0x prefix is a hex digit. Caller checks the prefix. */
export function isHexBody(s: string): boolean {
  for (let i = 2; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 127 || HEX_VALUE[c] === -1) return false
  }
  return true
}

/** True when `s` starts with "0x" or "0X". */
export function hasHexPrefix(s: string): boolean {
  return s.length >= 2 && s.charCodeAt(0) === 48 && (s.charCodeAt(1) === 120 || s.charCodeAt(1) === 88)
}

/** Decode a validated even-length 0x-hex string to bytes. */
export function hexToBytesUnchecked(s: string): Uint8Array {
  const n = (s.length - 2) >> 1
  const out = new Uint8Array(n)
  for (let i = 0, j = 2; i < n; i++, j += 2) {
    out[i] = (HEX_VALUE[s.charCodeAt(j)]! << 4) | HEX_VALUE[s.charCodeAt(j + 1)]!
  }
  return out
}

/** Bytes -> bigint (big-endian). */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n
  return BigInt(toHex(bytes))
}

/** Bigint -> big-endian bytes of exactly `length` bytes. */
export function bigIntToPaddedBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length)
  let v = value
  for (let i = length - 1; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/** Left-pad bytes to `length` (returns the input when already that long or longer). */
export function padLeft(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length >= length) return bytes
  const out = new Uint8Array(length)
  out.set(bytes, length - bytes.length)
  return out
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
