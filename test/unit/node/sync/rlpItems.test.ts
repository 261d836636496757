import t from 'tap'
import { RLP } from '@ethereumjs/rlp'
import type { OpenLedgerError } from '../../../../runtime/index.ts'
import { SYNC_ERROR, readRlpItems } from '../../../../node/sync/index.ts'

const items = [RLP.encode([new Uint8Array(3)]), RLP.encode([new Uint8Array(100).fill(1), new Uint8Array(300).fill(2)]), RLP.encode([])]
const file = new Uint8Array(items.reduce((n, i) => n + i.length, 0))
items.reduce((at, i) => {
  file.set(i, at)
  return at + i.length
}, 0)

/** `data` in chunks of `size` bytes. */
async function* chunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size)
}

async function collect(
  source: AsyncIterable<Uint8Array>,
  max = 1 << 20,
): Promise<{ got: { item: Uint8Array; index: number; offset: number }[]; err?: OpenLedgerError }> {
  const got = []
  try {
    for await (const item of readRlpItems(source, max)) got.push(item)
  } catch (err) {
    return { got, err: err as OpenLedgerError }
  }
  return { got }
}

t.test('splits concatenated lists whatever the chunking', async (t) => {
  for (const size of [1, 2, 7, 64, 10_000]) {
    const { got, err } = await collect(chunks(file, size))
    t.equal(err, undefined, `chunks of ${size}: no error`)
    t.same(
      got.map((g) => g.item),
      items,
      `chunks of ${size}: the items`,
    )
    t.same(
      got.map((g) => [g.index, g.offset]),
      [
        [0, 0],
        [1, items[0]!.length],
        [2, items[0]!.length + items[1]!.length],
      ],
      `chunks of ${size}: indexes and offsets`,
    )
  }
})

t.test('a truncated file names the item and offset; the items before it come first', async (t) => {
  const { got, err } = await collect(chunks(file.subarray(0, file.length - 2 - 50), 16))
  t.equal(got.length, 1)
  t.equal(err?.code, SYNC_ERROR.MALFORMED_FILE)
  t.match(err?.message, `block #1 at byte ${items[0]!.length}`)
  t.match(err?.message, 'truncated')
})

t.test('garbage and oversized items', async (t) => {
  const garbage = new Uint8Array([...items[0]!, 0x05, 0x06])
  const g = await collect(chunks(garbage, 4))
  t.equal(g.got.length, 1)
  t.equal(g.err?.code, SYNC_ERROR.MALFORMED_FILE)
  t.match(g.err?.message, 'not an RLP list')
  const big = await collect(chunks(file, 64), 100)
  t.equal(big.got.length, 1, 'the small first item passes')
  t.match(big.err?.message, 'over the 100-byte limit')
  const nonCanonical = await collect(chunks(new Uint8Array([0xf8, 0x01, 0x00]), 4))
  t.match(nonCanonical.err?.message, 'non-canonical')
  t.same((await collect(chunks(new Uint8Array(0), 4))).got, [], 'empty file: no items')
})
