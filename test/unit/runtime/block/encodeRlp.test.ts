import t from 'tap'
import { RLP } from '@ethereumjs/rlp'
import type { NestedUint8Array } from '@ethereumjs/rlp'
import { bytesToHex } from '@ethereumjs/util'
import { encodeReceipt } from '@ethereumjs/vm'
import type { TxReceipt } from '@ethereumjs/vm'
import { encodeRlp } from '../../../../runtime/block/encodeRlp.ts'
import { encodeTxReceipt } from '../../../../runtime/block/encodeTxReceipt.ts'
import { createPrng } from '../../../fixtures/chain/prng.ts'

type Prng = ReturnType<typeof createPrng>

// byte strings around every RLP length boundary (single byte < 0x80, 55/56, 255/256, 65,536) and nested lists
function randomItem(prng: Prng, depth: number): Uint8Array | NestedUint8Array {
  if (depth > 0 && prng.int(3) === 0) return Array.from({ length: prng.int(depth > 3 ? 3 : 8) }, () => randomItem(prng, depth + 1)) as NestedUint8Array
  const lengths = [0, 1, 1, 2, 31, 32, 55, 56, 57, 255, 256, 1000, 70_000]
  const length = prng.pick(lengths)
  return Uint8Array.from({ length }, () => prng.int(256))
}

t.test('encodeRlp equals RLP.encode', async (t) => {
  const prng = createPrng(3)
  let mismatches = 0
  for (let i = 0; i < 400; i++) {
    const item = Array.from({ length: prng.int(6) }, () => randomItem(prng, 1)) as NestedUint8Array
    const input = prng.int(10) === 0 ? randomItem(prng, 0) : item
    if (bytesToHex(encodeRlp(input)) !== bytesToHex(RLP.encode(input))) mismatches++
  }
  t.equal(mismatches, 0, 'random nested inputs')
  // a list whose payload needs a long header
  const long = Array.from({ length: 3000 }, (_, i) => Uint8Array.of(i & 0x7f)) as NestedUint8Array
  t.equal(bytesToHex(encodeRlp(long)), bytesToHex(RLP.encode(long)), 'long list')
  t.equal(bytesToHex(encodeRlp([])), '0xc0', 'empty list')
  t.equal(bytesToHex(encodeRlp(new Uint8Array(0))), '0x80', 'empty string')
})

t.test('encodeTxReceipt equals @ethereumjs/vm encodeReceipt', async (t) => {
  const prng = createPrng(4)
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => prng.int(256))
  let mismatches = 0
  for (let i = 0; i < 300; i++) {
    const logs = Array.from({ length: prng.int(4) }, () => [
      bytes(20),
      Array.from({ length: prng.int(5) }, () => bytes(32)),
      bytes(prng.pick([0, 1, 32, 64, 200])),
    ])
    const receipt = {
      status: prng.int(2) as 0 | 1,
      cumulativeBlockGasUsed: BigInt(21_000 + prng.int(1e9)),
      bitvector: bytes(256),
      logs,
    } as unknown as TxReceipt
    const type = prng.pick([0, 1, 2, 4] as const)
    if (bytesToHex(encodeTxReceipt(receipt, type)) !== bytesToHex(encodeReceipt(receipt, type))) mismatches++
  }
  t.equal(mismatches, 0, 'random receipts of every tx type, failed and successful')
})
