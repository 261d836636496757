// The full-state walk used by the crash test (test/integration/helpers/stateWalk.ts) really
// notices what it is there to notice: a missing trie node, a node that does not hash to its
// key, missing code.
import t from 'tap'
import { Account, Address, MapDB, bigIntToBytes, bytesToHex, setLengthLeft } from '@ethereumjs/util'
import { keccak_256 as keccak256 } from '@noble/hashes/sha3.js'
import { createChainCommon, createStateManager } from '../../../runtime/index.ts'
import { createTestSpec } from '../../fixtures/chain/testSpec.ts'
import { TOKEN_RUNTIME } from '../../fixtures/contracts/token.ts'
import { walkState } from '../helpers/stateWalk.ts'

const common = createChainCommon(createTestSpec())
const word = (v: bigint): Uint8Array => setLengthLeft(bigIntToBytes(v), 32)

/** 40 funded accounts, one contract with 30 storage slots; returns the store and the root. */
async function buildState(): Promise<{ db: MapDB<string, string | Uint8Array>; root: Uint8Array; contract: Address }> {
  const db = new MapDB<string, string | Uint8Array>()
  const state = createStateManager({ common, stateDb: db, trieCacheSize: 0 })
  for (let i = 1n; i <= 40n; i++) await state.putAccount(new Address(setLengthLeft(bigIntToBytes(i), 20)), new Account(0n, i * 1000n))
  const contract = new Address(setLengthLeft(bigIntToBytes(0xc0n), 20))
  await state.putAccount(contract, new Account(1n, 0n))
  await state.putCode(contract, TOKEN_RUNTIME)
  for (let s = 0n; s < 30n; s++) await state.putStorage(contract, word(s), bigIntToBytes(s + 7n))
  await state.flush()
  return { db, root: await state.getStateRoot(), contract }
}

/** Walk with a fresh state manager over `db` (no caches carried over). */
const walk = (db: MapDB<string, string | Uint8Array>, root: Uint8Array) =>
  walkState(createStateManager({ common, stateDb: db, stateRoot: root, trieCacheSize: 0 }), root)

t.test('a complete state walks clean and adds up', async (t) => {
  const { db, root, contract } = await buildState()
  const result = await walk(db, root)
  t.same(result.problems, [])
  t.equal(result.accounts, 41)
  t.equal(result.totalBalance, (1000n * (40n * 41n)) / 2n)
  t.equal(result.storageTries, 1)
  t.equal(result.codeBlobs, 1)
  const slots = result.storage.get(bytesToHex(keccak256(contract.bytes)))
  t.equal(slots?.size, 30)
  t.equal(slots?.get(bytesToHex(keccak256(word(3n)))), 10n, 'slot values decoded')
})

t.test('every missing node is reported, in the account trie and in storage tries', async (t) => {
  const { db, root } = await buildState()
  // the store also holds superseded nodes (the trie does not prune): remove only reachable ones
  const nodeKeys = [...(await walk(db, root)).nodeKeys].map((k) => k.slice(2))
  t.ok(nodeKeys.length > 10, `${nodeKeys.length} reachable nodes to remove one at a time`)
  for (const key of nodeKeys) {
    const value = db._database.get(key)!
    db._database.delete(key)
    const result = await walk(db, root)
    t.ok(result.problems.length > 0, `removing node ${key.slice(0, 8)} is noticed`)
    db._database.set(key, value)
  }
  t.same((await walk(db, root)).problems, [], 'restored: clean again')
})

t.test('a node that does not hash to its key, and missing code, are reported', async (t) => {
  const { db, root } = await buildState()
  const nodeKeys = [...(await walk(db, root)).nodeKeys].map((k) => k.slice(2))
  const [a, b] = nodeKeys.slice(1) as [string, string]
  // a valid node stored under another node's key
  db._database.set(a, db._database.get(b)!)
  t.match((await walk(db, root)).problems.join('\n'), 'does not hash to its key')
  const { db: fresh, root: freshRoot } = await buildState()
  const codeKey = [...fresh._database.keys()].find((k) => k.startsWith('63'))
  t.ok(codeKey, 'the code is stored under the "c" prefix')
  fresh._database.delete(codeKey!)
  t.match((await walk(fresh, freshRoot)).problems.join('\n'), /code 0x[0-9a-f]+ is missing/)
})
