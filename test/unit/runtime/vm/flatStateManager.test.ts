import t from 'tap'
import type { Test } from 'tap'
import type { StateManagerInterface } from '@ethereumjs/common'
import { MerkleStateManager, getMerkleStateProof, verifyMerkleStateProof } from '@ethereumjs/statemanager'
import { Account, Address, MapDB, bytesToHex, equalsBytes } from '@ethereumjs/util'
import { createChainCommon, createStateManager } from '../../../../runtime/index.ts'
import { FlatStateManager, defaultFlatStateManagerOptions } from '../../../../runtime/vm/flatStateManager.ts'
import { createPrng } from '../../../fixtures/chain/prng.ts'
import { createTestSpec } from '../../../fixtures/chain/testSpec.ts'

type Prng = ReturnType<typeof createPrng>
const common = createChainCommon(createTestSpec())

const bytes = (prng: Prng, length: number): Uint8Array => Uint8Array.from({ length }, () => prng.int(256))
// storage values: zero (a delete), short, with leading zeros, full width
const slotValue = (prng: Prng): Uint8Array => {
  const roll = prng.int(5)
  if (roll === 0) return new Uint8Array(32)
  if (roll === 1) return Uint8Array.of(0, 0, 1 + prng.int(200))
  return bytes(prng, 1 + prng.int(32))
}

function describe(account: Account | undefined): string {
  if (account === undefined) return 'none'
  return `${account.nonce}/${account.balance}/${bytesToHex(account.codeHash)}`
}

/** Compare every readable thing of the two managers over the given addresses and slots. */
async function compareReads(
  t: Test,
  flat: StateManagerInterface,
  ref: StateManagerInterface,
  addresses: Address[],
  slots: Uint8Array[],
  label: string,
): Promise<void> {
  let mismatches = 0
  for (const address of addresses) {
    const [a, b] = [await flat.getAccount(address), await ref.getAccount(address)]
    // storageRoot is left out: both managers report the root as of the last state-root computation
    if (describe(a) !== describe(b)) {
      mismatches++
      t.fail(`${label}: account ${address}: ${describe(a)} vs ${describe(b)}`)
    }
    if (!equalsBytes(await flat.getCode(address), await ref.getCode(address))) {
      mismatches++
      t.fail(`${label}: code ${address}`)
    }
    for (const slot of slots) {
      const [x, y] = [await flat.getStorage(address, slot), await ref.getStorage(address, slot)]
      if (!equalsBytes(x, y)) {
        mismatches++
        t.fail(`${label}: storage ${address} ${bytesToHex(slot)}: ${bytesToHex(x)} vs ${bytesToHex(y)}`)
      }
    }
  }
  t.equal(mismatches, 0, `${label}: reads agree`)
}

async function both<T>(
  flat: StateManagerInterface,
  ref: StateManagerInterface,
  op: (sm: StateManagerInterface) => Promise<T>,
): Promise<[T | Error, T | Error]> {
  const run = async (sm: StateManagerInterface): Promise<T | Error> => {
    try {
      return await op(sm)
    } catch (err) {
      return err as Error
    }
  }
  return [await run(flat), await run(ref)]
}

/**
 * Random operation sequences through StateManagerInterface, the way the EVM drives it: nested
 * checkpoints with commits and reverts, account puts and field updates, contract creation
 * (putAccount + clearStorage + putCode), storage writes (zero = delete) and reads, original
 * storage values, deletes of accounts created in the same window (EIP-6780), and state roots at
 * block boundaries, against @ethereumjs MerkleStateManager with caches.
 */
async function runSequence(t: Test, seed: number, steps: number, cacheLimit: number = defaultFlatStateManagerOptions.cacheLimit): Promise<void> {
  const prng = createPrng(seed)
  const flatDb = new MapDB<string, string | Uint8Array>()
  let flat: StateManagerInterface = new FlatStateManager({ ...defaultFlatStateManagerOptions, cacheLimit, common, db: flatDb })
  const ref = createStateManager({ common, trieCacheSize: 0 })
  const addresses = Array.from({ length: 10 }, () => new Address(bytes(prng, 20)))
  const slots = Array.from({ length: 8 }, (_, i) => (i === 0 ? new Uint8Array(32) : bytes(prng, 32)))
  const roots: Uint8Array[] = []
  let depth = 0
  let created = new Set<string>() // created in this window: may be deleted (EIP-6780)
  for (let step = 0; step < steps; step++) {
    const address = prng.pick(addresses)
    const roll = prng.int(100)
    if (roll < 8 && depth < 4) {
      await flat.checkpoint()
      await ref.checkpoint()
      depth++
    } else if (roll < 14 && depth > 0) {
      await flat.commit()
      await ref.commit()
      depth--
    } else if (roll < 18 && depth > 0) {
      await flat.revert()
      await ref.revert()
      depth--
    } else if (roll < 30) {
      const [flatAcc, refAcc] = await both(flat, ref, (sm) => sm.getAccount(address))
      const nonce = BigInt(prng.int(5))
      const balance = BigInt(prng.int(1_000_000))
      if (flatAcc === undefined && refAcc === undefined && prng.int(2) === 0) {
        // contract-style creation
        await both(flat, ref, async (sm) => {
          await sm.putAccount(address, new Account(nonce, balance))
          await sm.clearStorage(address)
        })
        created.add(address.toString())
      } else {
        await both(flat, ref, async (sm) => {
          const account = (await sm.getAccount(address)) ?? new Account()
          account.nonce = nonce
          account.balance = balance
          await sm.putAccount(address, account)
        })
      }
    } else if (roll < 36) {
      const balance = BigInt(prng.int(1000))
      await both(flat, ref, (sm) => sm.modifyAccountFields(address, { balance }))
    } else if (roll < 40) {
      const code = bytes(prng, prng.int(3) === 0 ? 0 : 1 + prng.int(60))
      await both(flat, ref, (sm) => sm.putCode(address, code))
    } else if (roll < 43 && created.has(address.toString())) {
      await both(flat, ref, (sm) => sm.deleteAccount(address))
    } else if (roll < 70) {
      const slot = prng.pick(slots)
      const value = slotValue(prng)
      const [x, y] = await both(flat, ref, (sm) => sm.putStorage(address, slot, value))
      t.equal(x instanceof Error, y instanceof Error, `seed ${seed} step ${step}: putStorage throws alike`)
    } else if (roll < 85) {
      const slot = prng.pick(slots)
      const [x, y] = await both(flat, ref, (sm) => sm.getStorage(address, slot))
      if (!(x instanceof Uint8Array && y instanceof Uint8Array && equalsBytes(x, y))) t.fail(`seed ${seed} step ${step}: getStorage`)
    } else if (roll < 90) {
      const slot = prng.pick(slots)
      const [x, y] = await both(flat, ref, (sm) => sm.originalStorageCache.get(address, slot))
      if (!(x instanceof Uint8Array && y instanceof Uint8Array && equalsBytes(x, y))) t.fail(`seed ${seed} step ${step}: original storage`)
      if (prng.int(3) === 0) {
        flat.originalStorageCache.clear()
        ref.originalStorageCache.clear()
      }
    } else if (roll < 93) {
      const [x, y] = await both(flat, ref, async (sm) => describe(await sm.getAccount(address)))
      t.equal(x, y, `seed ${seed} step ${step}: getAccount`)
    } else if (depth === 0) {
      // block boundary
      const [x, y] = await both(flat, ref, (sm) => sm.getStateRoot())
      if (!(x instanceof Uint8Array && y instanceof Uint8Array && equalsBytes(x, y))) {
        t.fail(`seed ${seed} step ${step}: state root ${String(x)} vs ${String(y)}`)
        return
      }
      roots.push(x)
      created = new Set()
      const next = prng.int(6)
      if (next === 0) {
        // cold reopen: everything is read back from the nodes written
        flat = new FlatStateManager({ ...defaultFlatStateManagerOptions, cacheLimit, common, db: flatDb, stateRoot: x })
      } else if (next === 1 && roots.length > 1) {
        // archive: back to an earlier root
        const earlier = prng.pick(roots)
        await flat.setStateRoot(earlier)
        await ref.setStateRoot(earlier)
      }
    }
  }
  while (depth > 0) {
    await flat.commit()
    await ref.commit()
    depth--
  }
  const [x, y] = await both(flat, ref, (sm) => sm.getStateRoot())
  t.ok(x instanceof Uint8Array && y instanceof Uint8Array && equalsBytes(x, y), `seed ${seed}: final state root`)
  await compareReads(t, flat, ref, addresses, slots, `seed ${seed} final`)
  // ethereumjs opens our nodes and code, and proves from them
  const reader = createStateManager({ common, stateDb: flatDb, stateRoot: x as Uint8Array, trieCacheSize: 0 })
  await compareReads(t, reader, ref, addresses, slots, `seed ${seed} MerkleStateManager on our nodes`)
  const proved = prng.pick(addresses)
  const refProof = await getMerkleStateProof(ref as MerkleStateManager, proved, slots)
  const proof = await getMerkleStateProof(reader, proved, slots)
  t.same(proof, refProof, `seed ${seed}: eth_getProof from our nodes equals ethereumjs's`)
  const verdict = async (sm: MerkleStateManager): Promise<string> => verifyMerkleStateProof(sm, proof).then(String, (err: Error) => err.message)
  t.equal(await verdict(reader), await verdict(ref as MerkleStateManager), `seed ${seed}: proof verification agrees`)
}

t.test('FlatStateManager equals MerkleStateManager on random EVM-like operation sequences', async (t) => {
  for (let seed = 1; seed <= 30; seed++) await runSequence(t, seed, 400)
})

t.test('FlatStateManager with a tiny cache limit (caches dropped after most state roots) stays equal', async (t) => {
  for (let seed = 31; seed <= 40; seed++) await runSequence(t, seed, 400, 5)
})

t.test('FlatStateManager: a state root inside a checkpoint, then revert', async (t) => {
  const prng = createPrng(5)
  const db = new MapDB<string, string | Uint8Array>()
  const flat = new FlatStateManager({ ...defaultFlatStateManagerOptions, common, db })
  const ref = new MerkleStateManager({ common })
  const a = new Address(bytes(prng, 20))
  const slot = bytes(prng, 32)
  for (const sm of [flat, ref] as StateManagerInterface[]) {
    await sm.putAccount(a, new Account(1n, 100n))
    await sm.putStorage(a, slot, Uint8Array.of(7))
  }
  const before = await flat.getStateRoot()
  t.ok(equalsBytes(before, await ref.getStateRoot()), 'roots before')
  for (const sm of [flat, ref] as StateManagerInterface[]) {
    await sm.checkpoint()
    await sm.putStorage(a, slot, Uint8Array.of(8))
    await sm.modifyAccountFields(a, { balance: 5n })
  }
  const inside = await flat.getStateRoot()
  t.ok(equalsBytes(inside, await ref.getStateRoot()), 'root inside the checkpoint')
  await flat.revert()
  t.ok(equalsBytes(await flat.getStateRoot(), before), 'after revert, the root before the checkpoint')
  t.same(await flat.getStorage(a, slot), Uint8Array.of(7), 'storage reverted')
  t.equal((await flat.getAccount(a))?.balance, 100n, 'balance reverted')
})

t.test('FlatStateManager: setStateRoot refuses unknown roots and keeps the same root', async (t) => {
  const db = new MapDB<string, string | Uint8Array>()
  const flat = new FlatStateManager({ ...defaultFlatStateManagerOptions, common, db })
  const a = new Address(new Uint8Array(20).fill(1))
  await flat.putAccount(a, new Account(0n, 1n))
  const root = await flat.getStateRoot()
  await flat.modifyAccountFields(a, { balance: 2n })
  await flat.setStateRoot(root)
  t.equal((await flat.getAccount(a))?.balance, 1n, 'uncommitted change dropped')
  await t.rejects(flat.setStateRoot(new Uint8Array(32).fill(9)), /does not contain state root/)
  t.ok(await flat.hasStateRoot(root), 'hasStateRoot')
})
