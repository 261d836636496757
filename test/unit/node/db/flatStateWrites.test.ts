import t from 'tap'
import { join } from 'node:path'
import { Account, bigIntToBytes, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import { FlatStateManager, createChainCommon, createStateManager, defaultFlatStateManagerOptions } from '../../../../runtime/index.ts'
import { createStateDb, openDatabase } from '../../../../node/db/index.ts'
import { createPrng } from '../../../fixtures/chain/prng.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'
import { createTestSpec } from '../../../fixtures/chain/testSpec.ts'

// node/chain persists the flat backend's writes without the reachability walk: every node it
// writes for a block must belong to that block's state (what takeOperations(root) would keep).

const common = createChainCommon(createTestSpec())
const address = (i: number) => createAddressFromString(`0x${(0x2000 + i).toString(16).padStart(40, '0')}`)
const slot = (i: number) => setLengthLeft(bigIntToBytes(BigInt(i) + 1n), 32)
const TOKEN = createAddressFromString('0x' + 'e2'.repeat(20))

t.test('the flat state backend writes only nodes reachable from each new state root', async (t) => {
  const dir = await tempDir(t)
  const db = await openDatabase(join(dir, 'db'))
  t.teardown(() => db.close())
  const stateDb = createStateDb(db, { cacheSize: 1000 })
  const sm = new FlatStateManager({ ...defaultFlatStateManagerOptions, common, db: stateDb })
  const prng = createPrng(11)
  await sm.putAccount(TOKEN, new Account(1n, 0n))
  await sm.putCode(TOKEN, Uint8Array.of(0x60, 0x00, 0x54, 0x00))
  let root = await sm.getStateRoot()
  await db.batch(stateDb.takeOperations())
  stateDb.markCommitted()
  for (let block = 0; block < 5; block++) {
    // like a block of token transfers and payments: tx checkpoints, some reverted
    await sm.checkpoint()
    for (let tx = 0; tx < 150; tx++) {
      await sm.checkpoint()
      const from = address(prng.int(40))
      const account = (await sm.getAccount(from)) ?? new Account()
      account.nonce += 1n
      account.balance += BigInt(prng.int(1000))
      await sm.putAccount(from, account)
      await sm.putStorage(TOKEN, slot(prng.int(400)), prng.int(8) === 0 ? new Uint8Array(0) : bigIntToBytes(BigInt(1 + prng.int(1e6))))
      if (prng.int(10) === 0) await sm.revert()
      else await sm.commit()
    }
    await sm.commit()
    root = await sm.getStateRoot()
    const pending = stateDb.pendingCount
    const pruned = stateDb.takeOperations(root)
    t.equal(pruned.length, pending, `block ${block}: all ${pending} writes are reachable from the new root`)
    await db.batch(pruned)
    stateDb.markCommitted()
  }
  // and the persisted state is complete for ethereumjs
  const reader = createStateManager({ common, stateDb: createStateDb(db, { cacheSize: 0 }), stateRoot: root, trieCacheSize: 0 })
  for (let i = 0; i < 400; i++) t.same(await reader.getStorage(TOKEN, slot(i)), await sm.getStorage(TOKEN, slot(i)), `slot ${i}`)
})
