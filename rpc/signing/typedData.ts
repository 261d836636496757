import { keccak_256 } from '@noble/hashes/sha3.js'
import { invalidParams } from '../errors.ts'
import { bigIntToPaddedBytes, hasHexPrefix, hexToBytesUnchecked, isHexBody } from '../hex.ts'

/** EIP-712 typed data as eth_signTypedData_v4 receives it. */
export type TypedData = {
  types: Record<string, { name: string; type: string }[]>
  primaryType: string
  domain: Record<string, unknown>
  message: Record<string, unknown>
}

const DOMAIN_FIELDS: [name: string, type: string][] = [
  ['name', 'string'],
  ['version', 'string'],
  ['chainId', 'uint256'],
  ['verifyingContract', 'address'],
  ['salt', 'bytes32'],
]

const utf8 = new TextEncoder()

function bad(reason: string): Error {
  return invalidParams(`invalid typed data: ${reason}`)
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

function hexBytes(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string' || !hasHexPrefix(v) || !isHexBody(v) || (v.length & 1) === 1) throw bad(`${what} must be 0x-hex bytes`)
  return hexToBytesUnchecked(v)
}

function toBigInt(v: unknown, what: string): bigint {
  try {
    if (typeof v === 'bigint') return v
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v)
    if (typeof v === 'string' && v.length > 0 && v.length <= 80) return BigInt(v)
  } catch {
    // fall through to the typed error
  }
  throw bad(`${what} is not an integer`)
}

/** Parse the typed-data param (an object, or a JSON string as MetaMask, ethers and viem send it). */
export function parseTypedData(value: unknown): TypedData {
  let v = value
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v)
    } catch {
      throw bad('not valid JSON')
    }
  }
  if (v === null || typeof v !== 'object') throw bad('not an object')
  const o = v as Record<string, unknown>
  if (o.types === null || typeof o.types !== 'object') throw bad('missing types')
  if (typeof o.primaryType !== 'string') throw bad('missing primaryType')
  if (o.domain === null || typeof o.domain !== 'object') throw bad('missing domain')
  if (o.message === null || typeof o.message !== 'object') throw bad('missing message')
  const types = { ...(o.types as Record<string, unknown>) } as Record<string, { name: string; type: string }[]>
  for (const [name, fields] of Object.entries(types)) {
    if (!Array.isArray(fields)) throw bad(`type ${name} is not a field list`)
    for (const f of fields) {
      if (f === null || typeof f !== 'object' || typeof f.name !== 'string' || typeof f.type !== 'string') {
        throw bad(`type ${name} has a malformed field`)
      }
    }
  }
  const domain = o.domain as Record<string, unknown>
  if (types.EIP712Domain === undefined) {
    types.EIP712Domain = DOMAIN_FIELDS.filter(([n]) => domain[n] !== undefined).map(([name, type]) => ({ name, type }))
  }
  if (types[o.primaryType] === undefined) throw bad(`unknown primaryType ${o.primaryType}`)
  return { types, primaryType: o.primaryType, domain, message: o.message as Record<string, unknown> }
}

function baseType(type: string): string {
  const i = type.indexOf('[')
  return i === -1 ? type : type.slice(0, i)
}

function dependencies(types: TypedData['types'], primary: string, found: Set<string>, depth: number): void {
  if (depth > 64) throw bad('type nesting too deep')
  const base = baseType(primary)
  if (found.has(base) || types[base] === undefined) return
  found.add(base)
  for (const f of types[base]!) dependencies(types, f.type, found, depth + 1)
}

/** EIP-712 encodeType: primary type first, then its dependencies sorted by name. */
export function encodeType(types: TypedData['types'], primary: string): string {
  const deps = new Set<string>()
  dependencies(types, primary, deps, 0)
  deps.delete(primary)
  const ordered = [primary, ...[...deps].sort()]
  return ordered.map((t) => `${t}(${types[t]!.map((f) => `${f.type} ${f.name}`).join(',')})`).join('')
}

function encodeValue(types: TypedData['types'], type: string, value: unknown, depth: number): Uint8Array {
  if (depth > 64) throw bad('value nesting too deep')
  if (type.endsWith(']')) {
    const inner = type.slice(0, type.lastIndexOf('['))
    if (!Array.isArray(value)) throw bad(`${type} value is not an array`)
    return keccak_256(concat(value.map((v) => encodeValue(types, inner, v, depth + 1))))
  }
  if (types[type] !== undefined) {
    if (value === null || typeof value !== 'object') throw bad(`${type} value is not an object`)
    return hashStruct(types, type, value as Record<string, unknown>, depth + 1)
  }
  if (type === 'string') {
    if (typeof value !== 'string') throw bad('string value expected')
    return keccak_256(utf8.encode(value))
  }
  if (type === 'bytes') return keccak_256(hexBytes(value, 'bytes'))
  if (type === 'bool') {
    if (typeof value !== 'boolean') throw bad('bool value expected')
    return bigIntToPaddedBytes(value ? 1n : 0n, 32)
  }
  if (type === 'address') {
    const b = hexBytes(value, 'address')
    if (b.length !== 20) throw bad('address must be 20 bytes')
    return bigIntToPaddedBytes(BigInt('0x' + Buffer.from(b).toString('hex')), 32)
  }
  if (type.startsWith('bytes')) {
    const n = Number(type.slice(5))
    const b = hexBytes(value, type)
    if (!Number.isInteger(n) || n < 1 || n > 32 || b.length > n) throw bad(`invalid ${type} value`)
    const out = new Uint8Array(32)
    out.set(b)
    return out
  }
  if (type.startsWith('uint') || type.startsWith('int')) {
    const signed = type.startsWith('int')
    const bits = Number(type.slice(signed ? 3 : 4) || '256')
    if (!Number.isInteger(bits) || bits < 8 || bits > 256 || bits % 8 !== 0) throw bad(`invalid type ${type}`)
    let v = toBigInt(value, type)
    const limit = 1n << BigInt(bits)
    if (signed) {
      if (v < -(limit >> 1n) || v >= limit >> 1n) throw bad(`${type} value out of range`)
      if (v < 0n) v += 1n << 256n
    } else if (v < 0n || v >= limit) throw bad(`${type} value out of range`)
    return bigIntToPaddedBytes(v, 32)
  }
  throw bad(`unknown type ${type}`)
}

/** EIP-712 hashStruct(type, value). */
export function hashStruct(types: TypedData['types'], type: string, value: Record<string, unknown>, depth = 0): Uint8Array {
  const fields = types[type]
  if (fields === undefined) throw bad(`unknown type ${type}`)
  const parts: Uint8Array[] = [keccak_256(utf8.encode(encodeType(types, type)))]
  for (const f of fields) {
    const v = value[f.name]
    if (v === undefined || v === null) {
      // missing fields encode as zero (as MetaMask's eth-sig-util v4 does for non-struct types)
      parts.push(new Uint8Array(32))
      continue
    }
    parts.push(encodeValue(types, f.type, v, depth))
  }
  return keccak_256(concat(parts))
}

/** EIP-712 digest: keccak256(0x1901 || domainSeparator || hashStruct(primaryType, message)). */
export function typedDataDigest(data: TypedData): Uint8Array {
  const domainSeparator = hashStruct(data.types, 'EIP712Domain', data.domain)
  const parts = [new Uint8Array([0x19, 0x01]), domainSeparator]
  if (data.primaryType !== 'EIP712Domain') parts.push(hashStruct(data.types, data.primaryType, data.message))
  return keccak_256(concat(parts))
}
