import t from 'tap'
import type { Test } from 'tap'
import { join } from 'node:path'
import { RLP } from '@ethereumjs/rlp'
import { Account, bigIntToBytes, bytesToUnprefixedHex, createAddressFromString, equalsBytes, setLengthLeft } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { createChainCommon, createStateManager } from '../../../../runtime/index.ts'
import { createStateDb, openDatabase } from '../../../../node/db/index.ts'
import { reachablePendingNodes } from '../../../../node/db/reachableNodes.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'
import { createTestSpec } from '../../../fixtures/chain/testSpec.ts'

const common = createChainCommon(createTestSpec())
const address = (i: number) => createAddressFromString(`0x${(0x1000 + i).toString(16).padStart(40, '0')}`)
const slot = (i: number) => setLengthLeft(bigIntToBytes(BigInt(i) + 1n), 32)
const CONTRACT = createAddressFromString('0x' + 'c0'.repeat(20))
const CODE = Uint8Array.from([0x60, 0x00, 0x54, 0x00]) // PUSH1 0 SLOAD STOP

type Expected = { balances: Map<number, bigint>; storage: Map<number, bigint> }

async function checkState(t: Test, sm: ReturnType<typeof createStateManager>, expected: Expected, label: string): Promise<void> {
  for (const [i, balance] of expected.balances) {
    t.equal((await sm.getAccount(address(i)))?.balance, balance, `${label}: account ${i}`)
  }
  for (const [i, value] of expected.storage) {
    t.ok(equalsBytes(await sm.getStorage(CONTRACT, slot(i)), bigIntToBytes(value)), `${label}: slot ${i}`)
  }
  t.ok(equalsBytes(await sm.getCode(CONTRACT), CODE), `${label}: code`)
}

t.test('a block persists only the trie nodes reachable from its state root, and state stays complete', async (t) => {
  const dir = await tempDir(t)
  let db = await openDatabase(join(dir, 'db'))
  const stateDb = createStateDb(db, { cacheSize: 0 })
  const sm = createStateManager({ common, stateDb, trieCacheSize: 0 })
  const first: Expected = { balances: new Map(), storage: new Map() }
  // "genesis": 60 accounts and a contract with 80 slots, committed without pruning
  for (let i = 0; i < 60; i++) {
    await sm.putAccount(address(i), new Account(0n, 1000n + BigInt(i)))
    first.balances.set(i, 1000n + BigInt(i))
  }
  await sm.putAccount(CONTRACT, new Account(1n, 0n))
  await sm.putCode(CONTRACT, CODE)
  for (let i = 0; i < 80; i++) {
    await sm.putStorage(CONTRACT, slot(i), bigIntToBytes(BigInt(i) + 7n))
    first.storage.set(i, BigInt(i) + 7n)
  }
  const root1 = await sm.getStateRoot()
  await db.batch(stateDb.takeOperations())
  stateDb.markCommitted()

  // a "block": 40 balance changes, 20 new accounts, 50 slot updates, 30 new slots
  const second: Expected = { balances: new Map(first.balances), storage: new Map(first.storage) }
  for (let i = 20; i < 80; i++) {
    await sm.putAccount(address(i), new Account(1n, 5000n + BigInt(i)))
    second.balances.set(i, 5000n + BigInt(i))
  }
  for (let i = 30; i < 110; i++) {
    await sm.putStorage(CONTRACT, slot(i), bigIntToBytes(BigInt(i) * 3n + 1n))
    second.storage.set(i, BigInt(i) * 3n + 1n)
  }
  const root2 = await sm.getStateRoot()
  const pending = stateDb.pendingCount
  const ops = stateDb.takeOperations(root2)
  t.ok(ops.length > 0 && ops.length < pending, `pruned unreachable nodes (${ops.length} of ${pending} writes kept)`)
  await db.batch(ops)
  stateDb.markCommitted()
  await db.close()

  // a fresh process: nothing cached, everything read from disk
  db = await openDatabase(join(dir, 'db'))
  t.teardown(() => db.close())
  await checkState(t, createStateManager({ common, stateDb: createStateDb(db, { cacheSize: 0 }), stateRoot: root2, trieCacheSize: 0 }), second, 'new root')
  await checkState(t, createStateManager({ common, stateDb: createStateDb(db, { cacheSize: 0 }), stateRoot: root1, trieCacheSize: 0 }), first, 'parent root')
})

t.test('every reachable pending node is found; committed nodes stop the walk', async (t) => {
  const dir = await tempDir(t)
  const db = await openDatabase(join(dir, 'db'))
  t.teardown(() => db.close())
  const stateDb = createStateDb(db, { cacheSize: 0 })
  const sm = createStateManager({ common, stateDb, trieCacheSize: 0 })
  await sm.putAccount(CONTRACT, new Account(1n, 0n))
  for (let i = 0; i < 40; i++) await sm.putStorage(CONTRACT, slot(i), bigIntToBytes(BigInt(i) + 1n))
  const root = await sm.getStateRoot()
  const ops = stateDb.takeOperations(root)
  // a single-account trie: the root (an account leaf) plus the storage trie's nodes
  const storageRoot = (await sm.getAccount(CONTRACT))!.storageRoot
  const storageKeys = ops.map((op) => bytesToUnprefixedHex(op.key.subarray(1)))
  t.ok(storageKeys.includes(bytesToUnprefixedHex(root)), 'account trie root kept')
  t.ok(storageKeys.includes(bytesToUnprefixedHex(storageRoot)), 'storage trie root kept')
  t.equal(new Set(storageKeys).size, storageKeys.length, 'no duplicates')
  // nothing pending below the root: an empty set beyond the root itself
  const onlyRoot = new Map([
    [
      bytesToUnprefixedHex(root),
      RLP.encode([Uint8Array.from([0x20]), RLP.encode([new Uint8Array(0), new Uint8Array(0), storageRoot, keccak_256(new Uint8Array(0))])]),
    ],
  ])
  t.same([...reachablePendingNodes(root, onlyRoot)!], [bytesToUnprefixedHex(root)], 'stops at nodes not pending (committed)')
})

t.test('an unknown node shape disables pruning rather than dropping writes', async (t) => {
  const root = keccak_256(Uint8Array.from([1]))
  const pending = new Map<string, Uint8Array | null>([
    [bytesToUnprefixedHex(root), RLP.encode([Uint8Array.from([1]), Uint8Array.from([2]), Uint8Array.from([3])])],
  ])
  t.equal(reachablePendingNodes(root, pending), undefined, 'three-item list is no MPT node')
  const dir = await tempDir(t)
  const db = await openDatabase(join(dir, 'db'))
  t.teardown(() => db.close())
  const stateDb = createStateDb(db)
  await stateDb.put(bytesToUnprefixedHex(root), pending.get(bytesToUnprefixedHex(root))!)
  await stateDb.put('ab'.repeat(32), Uint8Array.from([9])) // unreachable, but kept: pruning is off
  t.equal(stateDb.takeOperations(root).length, 2)
})
