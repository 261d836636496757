import t from 'tap'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTxJournal } from '../../../../node/txpool/index.ts'
import { createTxPool } from '../../../../node/txpool/index.ts'
import { createFakeChain, testKey, tx1559 } from './fakeChain.ts'

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs)

t.test('append, load, rewrite; appends made during a rewrite land after it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'txjournal-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'j')
  const journal = await createTxJournal(path)
  journal.append(bytes(1, 2, 3))
  journal.append(bytes(4))
  t.equal(journal.appended, 2)
  t.same(
    (await journal.load()).map((r) => [...r]),
    [[1, 2, 3], [4]],
    'records in order',
  )
  const rewriting = journal.rewrite([bytes(9, 9)])
  journal.append(bytes(5))
  await rewriting
  await journal.flush()
  t.same(
    (await journal.load()).map((r) => [...r]),
    [[9, 9], [5]],
    'compacted content, then the later append',
  )
  await journal.close()
  journal.append(bytes(6))
  const reopened = await createTxJournal(path)
  t.same(
    (await reopened.load()).map((r) => [...r]),
    [[9, 9], [5]],
    'nothing written after close',
  )
  await reopened.close()
})

t.test('a corrupt or torn tail is ignored on load', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'txjournal-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'j')
  // one good record, then a length that runs past the end
  await writeFile(path, bytes(0, 0, 0, 2, 7, 8, 0, 0, 0, 9, 1))
  const journal = await createTxJournal(path)
  t.same(
    (await journal.load()).map((r) => [...r]),
    [[7, 8]],
  )
  await journal.close()
})

t.test('the pool rotates its journal once enough records were appended', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'txjournal-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const journalPath = join(dir, 'txpool.journal')
  const key = testKey(1)
  const chain = await createFakeChain({ keys: [key] })
  const pool = await createTxPool({ chain, journalPath, journalRotateAfter: 2 })
  t.teardown(() => pool.close())
  const txs = [0n, 1n, 2n, 3n].map((nonce) => tx1559(key, { nonce }))
  for (const tx of txs) await pool.addRaw(tx.serialize())
  // mine three of them: 4 records appended > max(2, 2 * 1 left) -> compacted to the one left
  await chain.buildBlock(txs.slice(0, 3), { timestamp: 1_001n })
  await pool.idle()
  const buf = await readFile(journalPath)
  t.equal(buf.readUInt32BE(0), txs[3]!.serialize().length, 'first record is the tx still pooled')
  t.equal(buf.length, 4 + txs[3]!.serialize().length, 'only that record')
})
