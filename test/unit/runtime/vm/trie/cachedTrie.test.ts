import t from 'tap'
import type { Test } from 'tap'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { MapDB, ValueEncoding, bytesToHex, equalsBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { CachedTrie, toHexKey } from '../../../../../runtime/vm/trie/cachedTrie.ts'
import type { TrieNodeStore } from '../../../../../runtime/vm/trie/cachedTrie.ts'
import { createPrng } from '../../../../fixtures/chain/prng.ts'

type Prng = ReturnType<typeof createPrng>

const bytes = (prng: Prng, length: number, alphabet = 256): Uint8Array => Uint8Array.from({ length }, () => prng.int(alphabet))

// Short keys over a small alphabet share long prefixes and include keys that are prefixes of
// others (branch values); short values make nodes shorter than 32 bytes (embedded).
const shortKey = (prng: Prng): Uint8Array => bytes(prng, 1 + prng.int(4), 4)
const secureKey = (prng: Prng): Uint8Array => keccak_256(bytes(prng, 8))
const value = (prng: Prng): Uint8Array => (prng.int(2) === 0 ? bytes(prng, 1 + prng.int(6)) : bytes(prng, 33 + prng.int(60)))

function newMpt(db: MapDB<string, string | Uint8Array>): MerklePatriciaTrie {
  return new MerklePatriciaTrie({ db, valueEncoding: ValueEncoding.Bytes })
}

async function applyWrites(db: TrieNodeStore, writes: { key: string; value: Uint8Array }[]): Promise<void> {
  for (const w of writes) await db.put(w.key, w.value)
}

async function runSequence(t: Test, seed: number, makeKey: (prng: Prng) => Uint8Array, rounds: number, opsPerRound: number): Promise<void> {
  const prng = createPrng(seed)
  const refDb = new MapDB<string, string | Uint8Array>()
  const ref = newMpt(refDb)
  const ourDb = new MapDB<string, string | Uint8Array>()
  let ours = new CachedTrie(ourDb, ref.root(), keccak_256)
  const model = new Map<string, { key: Uint8Array; value: Uint8Array }>()
  for (let round = 0; round < rounds; round++) {
    for (let op = 0; op < opsPerRound; op++) {
      const existing = [...model.values()]
      const roll = prng.int(10)
      if (roll < 3 && existing.length > 0) {
        // delete a present key (collapses branches into extensions / leaves)
        const { key } = prng.pick(existing)
        await ref.del(key)
        await ours.del(key)
        model.delete(bytesToHex(key))
      } else if (roll < 4) {
        // delete a key that is probably absent
        const key = makeKey(prng)
        await ref.del(key)
        await ours.del(key)
        model.delete(bytesToHex(key))
      } else if (roll < 6 && existing.length > 0) {
        // update a present key
        const { key } = prng.pick(existing)
        const v = value(prng)
        await ref.put(key, v)
        await ours.put(key, v)
        model.set(bytesToHex(key), { key, value: v })
      } else {
        const key = makeKey(prng)
        const v = value(prng)
        await ref.put(key, v)
        await ours.put(key, v)
        model.set(bytesToHex(key), { key, value: v })
      }
    }
    const { root, writes } = ours.commit()
    await applyWrites(ourDb, writes)
    t.ok(equalsBytes(root, ref.root()), `seed ${seed} round ${round}: root ${bytesToHex(root)} = ${bytesToHex(ref.root())}`)
    // every write is a node of the new trie, stored under its hash
    const misplaced = writes.filter((w) => w.key !== toHexKey(keccak_256(w.value)))
    t.equal(misplaced.length, 0, `seed ${seed} round ${round}: every write is stored under its node hash`)
    if (prng.int(2) === 0) {
      // reopen cold: every lookup now decodes nodes we wrote
      ours = new CachedTrie(ourDb, root, keccak_256)
    }
    for (const { key, value: v } of model.values()) {
      const got = await ours.get(key)
      if (got === undefined || !equalsBytes(got, v)) t.fail(`seed ${seed} round ${round}: get ${bytesToHex(key)}`)
    }
    // ethereumjs reads the nodes we wrote
    const reader = new MerklePatriciaTrie({ db: ourDb, valueEncoding: ValueEncoding.Bytes, root })
    for (const { key, value: v } of model.values()) {
      const got = await reader.get(key)
      if (got === null || !equalsBytes(got, v)) t.fail(`seed ${seed} round ${round}: ethereumjs get ${bytesToHex(key)}`)
    }
  }
  // we read the nodes ethereumjs wrote
  const fromRef = new CachedTrie(refDb, ref.root(), keccak_256)
  for (const { key, value: v } of model.values()) {
    const got = await fromRef.get(key)
    if (got === undefined || !equalsBytes(got, v)) t.fail(`seed ${seed}: get from ethereumjs nodes ${bytesToHex(key)}`)
  }
  const absent = await fromRef.get(Uint8Array.of(9, 9, 9, 9, 9))
  t.equal(absent, undefined, `seed ${seed}: absent key`)
}

t.test('CachedTrie equals @ethereumjs/mpt on short, colliding keys (embedded nodes, branch values)', async (t) => {
  for (let seed = 1; seed <= 40; seed++) await runSequence(t, seed, shortKey, 6, 1 + (seed % 7) * 6)
})

t.test('CachedTrie equals @ethereumjs/mpt on 32-byte hashed keys', async (t) => {
  for (let seed = 100; seed < 108; seed++) await runSequence(t, seed, secureKey, 5, 150)
})

t.test('CachedTrie: deleting every key gives the empty root; re-adding works', async (t) => {
  const prng = createPrng(7)
  const db = new MapDB<string, string | Uint8Array>()
  const ref = newMpt(new MapDB())
  const ours = new CachedTrie(db, ref.root(), keccak_256)
  const keys = Array.from({ length: 50 }, () => shortKey(prng))
  for (const k of keys) {
    await ours.put(k, Uint8Array.of(1, 2, 3))
    await ref.put(k, Uint8Array.of(1, 2, 3))
  }
  let { root, writes } = ours.commit()
  await applyWrites(db, writes)
  t.ok(equalsBytes(root, ref.root()), 'filled')
  for (const k of keys) {
    await ours.del(k)
    await ref.del(k)
  }
  ;({ root, writes } = ours.commit())
  t.ok(equalsBytes(root, ref.root()), 'emptied')
  t.equal(writes.length, 0, 'an empty trie writes nothing')
  await ours.put(Uint8Array.of(1), Uint8Array.of(5))
  await ref.put(Uint8Array.of(1), Uint8Array.of(5))
  ;({ root } = ours.commit())
  t.ok(equalsBytes(root, ref.root()), 'one tiny key: the root is hashed though its node is < 32 bytes')
})
