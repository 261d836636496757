import t from 'tap'
import { join } from 'node:path'
import { createStateManager, createChainCommon } from '../../../../runtime/index.ts'
import { Account, createAddressFromString, equalsBytes } from '@ethereumjs/util'
import { NodeCache, createStateDb, dbGet, openDatabase } from '../../../../node/db/index.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'
import { createTestSpec } from '../../../fixtures/chain/testSpec.ts'

t.test('writes stay pending until the caller batches them', async (t) => {
  const dir = await tempDir(t)
  const db = await openDatabase(join(dir, 'db'))
  t.teardown(() => db.close())
  const stateDb = createStateDb(db, { cacheSize: 10 })
  await stateDb.put('aa01', Uint8Array.from([1, 2, 3]))
  await stateDb.batch([{ type: 'put', key: 'bb02', value: 'ff00' }])
  t.same(await stateDb.get('aa01'), Uint8Array.from([1, 2, 3]), 'reads its own pending write')
  t.equal(await stateDb.get('bb02', { valueEncoding: 'string' }), 'ff00', 'string encoding round-trips as hex')
  t.same(await stateDb.get('bb02'), Uint8Array.from([0xff, 0x00]), 'stored as bytes')
  t.equal(await dbGet(db, Uint8Array.from([0x73, 0xaa, 0x01])), undefined, 'nothing in LevelDB yet')
  t.equal(stateDb.pendingCount, 2)
  const copy = stateDb.shallowCopy()
  await copy.put('cc03', Uint8Array.from([9]))
  t.equal(stateDb.pendingCount, 3, 'shallow copies (storage tries) share the buffer')

  const ops = stateDb.takeOperations()
  t.equal(ops.length, 3)
  await db.batch(ops)
  stateDb.markCommitted()
  t.equal(stateDb.pendingCount, 0)
  t.same(await dbGet(db, Uint8Array.from([0x73, 0xaa, 0x01])), Uint8Array.from([1, 2, 3]), 'on disk after the batch')

  await stateDb.put('dd04', Uint8Array.from([4]))
  stateDb.discardPending()
  t.equal(await stateDb.get('dd04'), undefined, 'discarded writes are gone')
  t.same(await createStateDb(db).get('cc03'), Uint8Array.from([9]), 'a fresh handle reads committed data from disk')
})

t.test('read-only views never persist and never leak into the chain batch', async (t) => {
  const dir = await tempDir(t)
  const db = await openDatabase(join(dir, 'db'))
  t.teardown(() => db.close())
  const stateDb = createStateDb(db)
  await stateDb.put('0a', Uint8Array.from([1]))
  const view = stateDb.readOnlyView()
  t.same(await view.get('0a'), Uint8Array.from([1]), 'view sees the parent buffer')
  await view.put('0b', Uint8Array.from([2]))
  t.same(await view.get('0b'), Uint8Array.from([2]), 'view reads its own writes')
  t.equal(await stateDb.get('0b'), undefined, 'parent does not see view writes')
  t.same(view.takeOperations(), [], 'a view has nothing to commit')
  t.equal(stateDb.takeOperations().length, 1)
})

t.test('a state manager over the adapter keeps its root across reopen', async (t) => {
  const dir = await tempDir(t)
  const spec = createTestSpec()
  const common = createChainCommon(spec)
  const address = createAddressFromString('0x' + '77'.repeat(20))
  let db = await openDatabase(join(dir, 'db'))
  const stateDb = createStateDb(db)
  const sm = createStateManager({ common, stateDb, trieCacheSize: 0 })
  await sm.putAccount(address, new Account(3n, 1234n))
  await sm.putStorage(address, new Uint8Array(32).fill(1), Uint8Array.from([5]))
  const root = await sm.getStateRoot()
  await db.batch(stateDb.takeOperations())
  stateDb.markCommitted()
  await db.close()
  db = await openDatabase(join(dir, 'db'))
  t.teardown(() => db.close())
  const reopened = createStateManager({ common, stateDb: createStateDb(db), stateRoot: root, trieCacheSize: 0 })
  t.equal((await reopened.getAccount(address))?.balance, 1234n)
  t.ok(equalsBytes(await reopened.getStorage(address, new Uint8Array(32).fill(1)), Uint8Array.from([5])), 'storage trie persisted too')
})

t.test('NodeCache keeps recently used entries and stays bounded', async (t) => {
  const cache = new NodeCache<number>(4) // two generations of 2
  cache.set('a', 1)
  cache.set('b', 2)
  cache.set('c', 3) // young {c}, old {a, b}
  t.equal(cache.get('a'), 1, 'a hit in the old generation moves it to the young one')
  cache.set('d', 4) // young full {c, a} -> old; young {d}; b dropped
  t.equal(cache.get('b'), undefined, 'b (least recently used) evicted')
  t.same([cache.get('a'), cache.get('c'), cache.get('d')], [1, 3, 4], 'recent entries kept')
  t.ok(cache.size <= 4, 'bounded')
  for (let i = 0; i < 100; i++) cache.set(`k${i}`, i)
  t.ok(cache.size <= 4, 'bounded after many writes')
  t.equal(cache.get('k99'), 99)
  const off = new NodeCache<number>(0)
  off.set('x', 1)
  t.equal(off.get('x'), undefined, 'size 0 caches nothing')
})
