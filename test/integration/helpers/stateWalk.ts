// A full walk of a state trie as stored: every account-trie node from the state root, every
// non-empty storage trie and every contract code blob is read from the chain's node store,
// checked against the hash that references it, and summed up. Used after kill -9 to prove a
// reopened datadir holds the complete head state, not just the parts a test happens to read.
import { LeafMPTNode } from '@ethereumjs/mpt'
import type { MPTNode, MerklePatriciaTrie, NodeReferenceOrRawMPTNode } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { CODEHASH_PREFIX } from '@ethereumjs/statemanager'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { KECCAK256_NULL, KECCAK256_RLP, bytesToBigInt, bytesToHex, concatBytes, createAccountFromRLP, equalsBytes } from '@ethereumjs/util'
import type { WalkController } from '@ethereumjs/mpt'
import { keccak_256 as keccak256 } from '@noble/hashes/sha3.js'

/** What a walk found. */
export type StateWalk = {
  /** accounts (leaves of the account trie) */
  accounts: number
  /** sum of every account's balance */
  totalBalance: bigint
  /** nodes read by hash (account and storage tries) */
  hashedNodes: number
  /** their keys (0x hex) */
  nodeKeys: Set<string>
  /** accounts with a non-empty storage trie */
  storageTries: number
  /** storage slots by account key (keccak256(address), 0x hex), slot key (keccak256(slot), 0x hex) -> value */
  storage: Map<string, Map<string, bigint>>
  /** accounts with code (each blob found and hashing to its codeHash) */
  codeBlobs: number
  /** everything wrong: missing nodes or code, nodes not hashing to their reference; empty when complete */
  problems: string[]
}

/**
 * The account trie of a state manager. MerkleStateManager keeps it protected and ethereumjs has
 * no accessor; the walk needs the trie itself (its node store), so it reads the field.
 */
function accountTrie(state: MerkleStateManager): MerklePatriciaTrie {
  return (state as unknown as { _trie: MerklePatriciaTrie })._trie
}

function nibblesToBytes(nibbles: number[]): Uint8Array {
  const out = new Uint8Array(nibbles.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!
  return out
}

type Leaf = { key: Uint8Array; value: Uint8Array }

/**
 * Walk one trie from `root` with @ethereumjs/mpt's walkTrie (it fails on a missing node), checking
 * that every node read by hash re-serialises to bytes with that keccak256; returns its leaves.
 */
async function walkOne(trie: MerklePatriciaTrie, root: Uint8Array, label: string, walk: StateWalk): Promise<Leaf[]> {
  const leaves: Leaf[] = []
  if (equalsBytes(root, KECCAK256_RLP)) return leaves
  try {
    await trie.walkTrie(root, (ref: NodeReferenceOrRawMPTNode, node: MPTNode | null, key: number[], controller: WalkController) => {
      if (node === null) {
        walk.problems.push(`${label}: node ${ref instanceof Uint8Array ? bytesToHex(ref) : 'embedded'} at path ${key.length} is missing`)
        return
      }
      // embedded nodes (under 32 bytes) travel inside their parent; hashed ones come from the store
      if (ref instanceof Uint8Array) {
        walk.hashedNodes++
        walk.nodeKeys.add(bytesToHex(ref))
        if (!equalsBytes(keccak256(node.serialize()), ref)) walk.problems.push(`${label}: node ${bytesToHex(ref)} does not hash to its key`)
      }
      if (node instanceof LeafMPTNode) leaves.push({ key: nibblesToBytes([...key, ...node.key()]), value: node.value() })
      else controller.allChildren(node, key)
    })
  } catch (err) {
    walk.problems.push(`${label}: walk from ${bytesToHex(root)} failed: ${(err as Error).message}`)
  }
  return leaves
}

/**
 * Walk the whole state at `root` through `state`'s node store (the chain's, for a state manager
 * from chain.stateAt): the account trie, each account's storage trie and code.
 *
 * @example
 * const walk = await walkState(await chain.stateAt(n), head.header.stateRoot)
 * t.same(walk.problems, [])
 */
export async function walkState(state: MerkleStateManager, root: Uint8Array): Promise<StateWalk> {
  const trie = accountTrie(state)
  const store = trie.database()
  const walk: StateWalk = {
    accounts: 0,
    totalBalance: 0n,
    hashedNodes: 0,
    nodeKeys: new Set(),
    storageTries: 0,
    storage: new Map(),
    codeBlobs: 0,
    problems: [],
  }
  const accounts = await walkOne(trie, root, 'account trie', walk)
  for (const leaf of accounts) {
    const account = createAccountFromRLP(leaf.value)
    const label = `account ${bytesToHex(leaf.key)}`
    walk.accounts++
    walk.totalBalance += account.balance
    if (!equalsBytes(account.storageRoot, KECCAK256_RLP)) {
      walk.storageTries++
      // storage tries share the account trie's content-addressed node store (no key prefix)
      const slots = new Map<string, bigint>()
      for (const slot of await walkOne(trie, account.storageRoot, `${label} storage`, walk)) {
        slots.set(bytesToHex(slot.key), bytesToBigInt(RLP.decode(slot.value) as Uint8Array))
      }
      walk.storage.set(bytesToHex(leaf.key), slots)
    }
    if (!equalsBytes(account.codeHash, KECCAK256_NULL)) {
      const code = await store.get(concatBytes(CODEHASH_PREFIX, account.codeHash))
      if (code === undefined) walk.problems.push(`${label}: code ${bytesToHex(account.codeHash)} is missing`)
      else if (!equalsBytes(keccak256(code), account.codeHash)) walk.problems.push(`${label}: code does not hash to its codeHash`)
      else walk.codeBlobs++
    }
  }
  return walk
}
