import t from 'tap'
import { RLP } from '@ethereumjs/rlp'
import type { NestedUint8Array } from '@ethereumjs/rlp'
import { bytesToHex } from '@ethereumjs/util'
import { decodeRlp } from '../../../../runtime/block/decodeRlp.ts'
import { encodeRlp } from '../../../../runtime/block/encodeRlp.ts'
import { createPrng } from '../../../fixtures/chain/prng.ts'

type Prng = ReturnType<typeof createPrng>

// byte strings around every RLP length boundary (single byte < 0x80, 55/56, 255/256, 65,536) and nested lists
function randomItem(prng: Prng, depth: number): Uint8Array | NestedUint8Array {
  if (depth > 0 && prng.int(3) === 0) return Array.from({ length: prng.int(depth > 3 ? 3 : 8) }, () => randomItem(prng, depth + 1)) as NestedUint8Array
  const length = prng.pick([0, 1, 1, 2, 31, 32, 55, 56, 57, 255, 256, 1000, 70_000])
  return Uint8Array.from({ length }, () => prng.int(256))
}

/** A decoded item as text: lists and byte strings told apart, bytes in hex. */
const show = (item: Uint8Array | NestedUint8Array): string => (item instanceof Uint8Array ? bytesToHex(item) : `[${item.map(show).join(',')}]`)

/** RLP.decode's answer or 'throws'. */
function reference(bytes: Uint8Array): string {
  try {
    return show(RLP.decode(bytes))
  } catch {
    return 'throws'
  }
}

function ours(bytes: Uint8Array): string {
  try {
    return show(decodeRlp(bytes))
  } catch (err) {
    if (!(err instanceof TypeError)) throw err
    return 'throws'
  }
}

t.test('decodeRlp answers as RLP.decode on valid encodings (seeded)', async (t) => {
  const prng = createPrng(11)
  for (let i = 0; i < 300; i++) {
    const input = prng.int(10) === 0 ? randomItem(prng, 0) : (Array.from({ length: prng.int(6) }, () => randomItem(prng, 1)) as NestedUint8Array)
    const encoded = encodeRlp(input)
    t.equal(ours(encoded), show(input), `case ${i}: round trip`)
  }
  const long = Array.from({ length: 3000 }, (_, i) => Uint8Array.of(i & 0x7f)) as NestedUint8Array
  t.equal(ours(encodeRlp(long)), show(long), 'a list with a long header')
  t.equal(ours(new Uint8Array(0)), reference(new Uint8Array(0)), 'empty input: an empty byte string, as RLP.decode')
})

t.test('decodeRlp accepts and rejects what RLP.decode does on damaged encodings (seeded)', async (t) => {
  const prng = createPrng(12)
  let rejected = 0
  for (let i = 0; i < 800; i++) {
    const encoded = encodeRlp(Array.from({ length: 1 + prng.int(4) }, () => randomItem(prng, 2)) as NestedUint8Array).slice()
    const damage = prng.int(4)
    let bytes: Uint8Array
    if (damage === 0) bytes = encoded.subarray(0, prng.int(encoded.length))
    else if (damage === 1) bytes = Uint8Array.from([...encoded, prng.int(256)])
    else {
      bytes = encoded
      // header bytes are where damage shows: hit the first few more often
      const at = prng.int(2) === 0 ? prng.int(Math.min(4, bytes.length)) : prng.int(bytes.length)
      bytes[at] = damage === 2 ? prng.int(256) : bytes[at]! ^ (1 << prng.int(8))
    }
    const want = reference(bytes)
    if (want === 'throws') rejected++
    t.equal(ours(bytes), want, `case ${i}`)
  }
  // the known non-canonical forms
  for (const hex of ['8100', '817f', 'b800', 'b837' + '00'.repeat(55), 'f800', 'f837' + '00'.repeat(55), 'b90000', 'c180', 'c2', '80ff']) {
    const bytes = Uint8Array.from(Buffer.from(hex, 'hex'))
    t.equal(ours(bytes), reference(bytes), `0x${hex.slice(0, 12)}`)
  }
  t.ok(rejected > 200, `${rejected} damaged encodings rejected`)
})

t.test('byte strings are views into the input, not copies', async (t) => {
  const encoded = encodeRlp([new Uint8Array(40).fill(9), [Uint8Array.of(1, 2, 3)]])
  const decoded = decodeRlp(encoded) as [Uint8Array, [Uint8Array]]
  t.equal(decoded[0].buffer, encoded.buffer, 'same memory')
  t.equal(decoded[1][0].byteOffset, encoded.length - 3, 'at its place in the input')
})
