import type { NestedUint8Array } from '@ethereumjs/rlp'

/**
 * RLP encoding (Yellow Paper appendix B) of byte strings and nested lists, identical to
 * @ethereumjs/rlp's RLP.encode for these inputs, in two passes: measure every list, then write
 * everything into one buffer. RLP.encode concatenates at every nesting level, copying a deep
 * structure once per level (a block's receipt list: list -> receipt -> logs -> log -> topics);
 * it was ~2.5% of an ERC-20 block build in the chain commit alone.
 *
 * @example
 * const bytes = encodeRlp([txHash, [log.address, log.topics, log.data]])
 */
export function encodeRlp(input: Uint8Array | NestedUint8Array): Uint8Array {
  const payloads: number[] = []
  const total = measure(input, payloads)
  const out = new Uint8Array(total)
  write(input, out, 0, payloads, { next: 0 })
  return out
}

// Encoded length of `item`; records each list's payload length in pre-order.
function measure(item: Uint8Array | NestedUint8Array, payloads: number[]): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < 0x80) return 1
    return headerLength(item.length) + item.length
  }
  const slot = payloads.length
  payloads.push(0)
  let payload = 0
  for (const child of item) payload += measure(child, payloads)
  payloads[slot] = payload
  return headerLength(payload) + payload
}

function headerLength(length: number): number {
  if (length <= 55) return 1
  let n = 0
  for (let l = length; l > 0; l = Math.floor(l / 256)) n++
  return 1 + n
}

function writeHeader(out: Uint8Array, pos: number, length: number, shortBase: number, longBase: number): number {
  if (length <= 55) {
    out[pos] = shortBase + length
    return pos + 1
  }
  let n = 0
  for (let l = length; l > 0; l = Math.floor(l / 256)) n++
  out[pos] = longBase + n
  for (let i = n, l = length; i >= 1; i--, l = Math.floor(l / 256)) out[pos + i] = l & 0xff
  return pos + 1 + n
}

function write(item: Uint8Array | NestedUint8Array, out: Uint8Array, pos: number, payloads: number[], cursor: { next: number }): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < 0x80) {
      out[pos] = item[0]!
      return pos + 1
    }
    pos = writeHeader(out, pos, item.length, 0x80, 0xb7)
    out.set(item, pos)
    return pos + item.length
  }
  pos = writeHeader(out, pos, payloads[cursor.next++]!, 0xc0, 0xf7)
  for (const child of item) pos = write(child, out, pos, payloads, cursor)
  return pos
}
