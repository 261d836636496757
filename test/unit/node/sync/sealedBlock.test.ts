import t from 'tap'
import { RLP } from '@ethereumjs/rlp'
import { OpenLedgerError } from '../../../../runtime/index.ts'
import { MAX_SEALED_BLOCK_BYTES, SYNC_ERROR, decodeSealedBlock, encodeSealedBlock } from '../../../../node/sync/index.ts'

const block = RLP.encode([[new Uint8Array([1, 2, 3])], [], []])
const seal = new Uint8Array(65).fill(7)

function code(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (err) {
    return err instanceof OpenLedgerError ? err.code : 'untyped'
  }
}

t.test('roundtrip: RLP([block, seal])', async (t) => {
  const data = encodeSealedBlock({ block, seal })
  t.same(data, RLP.encode([block, seal]))
  const back = decodeSealedBlock(data)
  t.same(back.block, block)
  t.same(back.seal, seal)
})

t.test('strict decoding', async (t) => {
  const cases: [string, Uint8Array, string][] = [
    ['empty input', new Uint8Array(0), SYNC_ERROR.MALFORMED_BLOCK],
    ['garbage', new Uint8Array([0xff, 0x00]), SYNC_ERROR.MALFORMED_BLOCK],
    ['trailing bytes', new Uint8Array([...RLP.encode([block, seal]), 0]), SYNC_ERROR.MALFORMED_BLOCK],
    ['a byte string, not a list', RLP.encode(block), SYNC_ERROR.MALFORMED_BLOCK],
    ['one item', RLP.encode([block]), SYNC_ERROR.MALFORMED_BLOCK],
    ['three items', RLP.encode([block, seal, seal]), SYNC_ERROR.MALFORMED_BLOCK],
    ['a nested list as the block', RLP.encode([[block], seal]), SYNC_ERROR.MALFORMED_BLOCK],
    ['a list as the seal', RLP.encode([block, [seal]]), SYNC_ERROR.MALFORMED_BLOCK],
    ['64-byte seal', RLP.encode([block, seal.subarray(0, 64)]), SYNC_ERROR.MALFORMED_BLOCK],
    ['empty block', RLP.encode([new Uint8Array(0), seal]), SYNC_ERROR.MALFORMED_BLOCK],
    ['non-canonical length', new Uint8Array([0xf8, 0x02, 0x81, 0x01]), SYNC_ERROR.MALFORMED_BLOCK],
  ]
  for (const [name, data, expected] of cases)
    t.equal(
      code(() => decodeSealedBlock(data)),
      expected,
      name,
    )
  t.equal(
    code(() => decodeSealedBlock(new Uint8Array(MAX_SEALED_BLOCK_BYTES + 1))),
    SYNC_ERROR.OVERSIZED,
    'over the default bound',
  )
  t.equal(
    code(() => decodeSealedBlock(encodeSealedBlock({ block, seal }), 10)),
    SYNC_ERROR.OVERSIZED,
    'over a given bound',
  )
})
