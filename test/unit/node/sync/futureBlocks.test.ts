import t from 'tap'
import type { CheckedBlock } from '../../../../node/sync/blockImporter.ts'
import { FutureBlocks } from '../../../../node/sync/futureBlocks.ts'

const entry = (number: bigint) => ({ checked: { number } as CheckedBlock, from: `peer-${number}` })

t.test('bounded by count, keeps the lowest numbers, take and prune', async (t) => {
  const buffer = new FutureBlocks(3)
  t.ok(buffer.add(entry(10n)))
  t.ok(buffer.add(entry(12n)))
  t.notOk(buffer.add(entry(12n)), 'one per number')
  t.ok(buffer.add(entry(11n)))
  t.notOk(buffer.add(entry(13n)), 'full: a higher number is dropped')
  t.ok(buffer.add(entry(5n)), 'full: a lower number evicts the highest')
  t.equal(buffer.size, 3)
  t.equal(buffer.take(12n), undefined, '12 was evicted')
  t.equal(buffer.take(5n)?.from, 'peer-5')
  t.equal(buffer.take(5n), undefined, 'taken once')
  buffer.prune(10n)
  t.equal(buffer.size, 1, 'at or below the head dropped')
  t.equal(buffer.take(11n)?.checked.number, 11n)
  t.notOk(new FutureBlocks(0).add(entry(1n)), 'capacity 0 keeps nothing')
})
