import { closeSync, openSync, writeSync } from 'node:fs'
import { Buffer } from 'node:buffer'
import { NativeError, NativeErrorCode } from './nativeError.ts'

/** Storage dtypes the writer supports (the engine reads the same three). */
export type WeightDtype = 'f32' | 'bf16' | 'f16'

/** One tensor to write; data is produced lazily so large files stream. */
export type TensorEntry = {
  name: string
  shape: number[]
  dtype: WeightDtype
  data: () => Float32Array
}

const SAFETENSORS_DTYPE: Record<WeightDtype, string> = { f32: 'F32', bf16: 'BF16', f16: 'F16' }
const BYTES: Record<WeightDtype, number> = { f32: 4, bf16: 2, f16: 2 }

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** f32 -> bf16 bits, round to nearest even (NaN stays NaN). */
export function f32ToBf16Bits(x: number): number {
  f32[0] = x
  const b = u32[0]
  if ((b & 0x7fffffff) > 0x7f800000) return ((b >>> 16) | 0x40) & 0xffff
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff
}

/** f32 -> IEEE binary16 bits, round to nearest even (overflow to inf, subnormals kept). */
export function f32ToF16Bits(x: number): number {
  f32[0] = x
  const b = u32[0]
  const sign = (b >>> 16) & 0x8000
  const exp = (b >>> 23) & 0xff
  let man = b & 0x7fffff
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0)
  const e = exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    if (e < -10) return sign
    man |= 0x800000
    const shift = 14 - e
    const half = 1 << (shift - 1)
    const rem = man & ((1 << shift) - 1)
    let h = man >>> shift
    if (rem > half || (rem === half && h & 1)) h++
    return sign | h
  }
  const rem = man & 0x1fff
  let h = (e << 10) | (man >>> 13)
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++
  return sign | h
}

/** bf16 bits -> f32 value (exact). */
export function bf16BitsToF32(h: number): number {
  u32[0] = (h & 0xffff) << 16
  return f32[0]
}

/** binary16 bits -> f32 value (exact). */
export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >>> 10) & 0x1f
  const man = h & 0x3ff
  if (exp === 0) return sign * man * 2 ** -24
  if (exp === 0x1f) return man ? NaN : sign * Infinity
  return sign * (1 + man / 1024) * 2 ** (exp - 15)
}

/** Round values to what a dtype stores (in place), so readers of the data see stored values. */
export function roundToDtype(data: Float32Array, dtype: WeightDtype): Float32Array {
  if (dtype === 'bf16') for (let i = 0; i < data.length; i++) data[i] = bf16BitsToF32(f32ToBf16Bits(data[i]))
  if (dtype === 'f16') for (let i = 0; i < data.length; i++) data[i] = f16BitsToF32(f32ToF16Bits(data[i]))
  return data
}

function encode(data: Float32Array, dtype: WeightDtype): Buffer {
  if (dtype === 'f32') return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const out = Buffer.alloc(data.length * 2)
  for (let i = 0; i < data.length; i++) out.writeUInt16LE(dtype === 'bf16' ? f32ToBf16Bits(data[i]) : f32ToF16Bits(data[i]), i * 2)
  return out
}

/**
 * Write a safetensors file: u64 LE header length, JSON header (space-padded to 8 bytes), data.
 * Tensor data is generated and written one tensor at a time.
 */
export function writeSafetensors(path: string, tensors: readonly TensorEntry[], metadata: Record<string, string> = { format: 'pt' }): void {
  const header: Record<string, unknown> = { __metadata__: metadata }
  let offset = 0
  for (const t of tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * BYTES[t.dtype]
    header[t.name] = { dtype: SAFETENSORS_DTYPE[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes] }
    offset += bytes
  }
  let json = JSON.stringify(header)
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' '
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)))
  const fd = openSync(path, 'w')
  try {
    writeSync(fd, len)
    writeSync(fd, Buffer.from(json))
    for (const t of tensors) {
      const data = t.data()
      const expected = t.shape.reduce((a, b) => a * b, 1)
      if (data.length !== expected) {
        throw new NativeError(NativeErrorCode.INVALID_ARGUMENT, `tensor ${t.name}: ${data.length} values for shape [${t.shape}]`)
      }
      writeSync(fd, encode(data, t.dtype))
    }
  } finally {
    closeSync(fd)
  }
}
