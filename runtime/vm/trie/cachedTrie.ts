import { KECCAK256_RLP, equalsBytes, hexToBytes } from '@ethereumjs/util'
import type { DB } from '@ethereumjs/util'
import { encodeNode } from './encodeNode.ts'
import { NODE_KIND, TrieNode, bytesToNibbles } from './trieNode.ts'

/** A trie node store: @ethereumjs/mpt's layout (unprefixed-hex node hash -> node RLP). */
export type TrieNodeStore = DB<string, string | Uint8Array>

/** keccak-256 */
export type Keccak = (data: Uint8Array) => Uint8Array

/** One node write of {@link CachedTrie.commit}: unprefixed-hex key, node RLP. */
export type TrieWrite = { key: string; value: Uint8Array }

/** Unprefixed lowercase hex (the node store's key form); native, ~3x faster than per-byte string concatenation. */
export function toHexKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

const EMPTY = new Uint8Array(0)

/**
 * A Merkle Patricia trie held as a tree of mutable nodes over a node store, loaded lazily: a
 * node is read and decoded the first time a lookup or update passes through it, then stays in
 * memory. Updates change the tree without hashing anything; {@link commit} hashes each changed
 * node once, bottom-up, and returns the node writes and the new root. So a block that touches
 * k keys hashes and writes each changed node once, where @ethereumjs/mpt re-hashes and writes
 * the whole path on every put.
 *
 * Keys are the trie's raw keys (a secure trie's caller hashes them first); values are stored
 * as given. The produced nodes, their hashes and the root are those of @ethereumjs/mpt for the
 * same contents (tested on randomised operation sequences). The root node is stored under its
 * hash even when its RLP is shorter than 32 bytes, as @ethereumjs/mpt does.
 *
 * @example
 * const trie = new CachedTrie(db, stateRoot, keccak)
 * await trie.put(keccak(address), account.serialize())
 * const { root, writes } = await trie.commit()
 */
export class CachedTrie {
  readonly #db: TrieNodeStore
  readonly #keccak: Keccak
  #root: TrieNode | undefined
  #rootHash: Uint8Array
  // nodes decoded or created since this trie object was made: an upper bound on what it holds
  #held = 0

  constructor(db: TrieNodeStore, rootHash: Uint8Array, keccak: Keccak) {
    this.#db = db
    this.#keccak = keccak
    this.#rootHash = rootHash
    this.#root = equalsBytes(rootHash, KECCAK256_RLP) ? undefined : TrieNode.hash(rootHash)
  }

  /** Root hash as of the last commit (or construction). */
  get rootHash(): Uint8Array {
    return this.#rootHash
  }

  /** Nodes decoded from the store or created by updates so far (bounds the memory this trie holds). */
  get heldNodes(): number {
    return this.#held
  }

  async #load(node: TrieNode): Promise<void> {
    const key = toHexKey(node.ref!)
    const stored = await this.#db.get(key)
    if (stored === undefined) throw new Error(`missing trie node ${key}`)
    if (node.kind !== NODE_KIND.HASH) return // loaded by an interleaved lookup meanwhile
    node.loadFrom(typeof stored === 'string' ? hexToBytes(`0x${stored}`) : stored)
    this.#held++
  }

  #count(node: TrieNode): TrieNode {
    this.#held++
    return node
  }

  /** The value under `key`, or undefined. */
  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const nibbles = bytesToNibbles(key)
    let node = this.#root
    let pos = 0
    while (node !== undefined) {
      if (node.kind === NODE_KIND.HASH) await this.#load(node)
      if (node.kind === NODE_KIND.BRANCH) {
        if (pos === nibbles.length) return node.value
        node = node.children![nibbles[pos++]!]
        continue
      }
      const path = node.path
      if (nibbles.length - pos < path.length) return undefined
      for (let i = 0; i < path.length; i++) if (nibbles[pos + i] !== path[i]) return undefined
      pos += path.length
      if (node.kind === NODE_KIND.LEAF) return pos === nibbles.length ? node.value : undefined
      node = node.child
    }
    return undefined
  }

  /** Set `key` to `value`; an empty value deletes the key (as @ethereumjs/mpt's put does). */
  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    if (value.length === 0) return this.del(key)
    this.#root = await this.#insert(this.#root, bytesToNibbles(key), 0, value)
  }

  /** Remove `key` (no-op when absent). */
  async del(key: Uint8Array): Promise<void> {
    this.#root = await this.#remove(this.#root, bytesToNibbles(key), 0)
  }

  async #insert(node: TrieNode | undefined, key: Uint8Array, pos: number, value: Uint8Array): Promise<TrieNode> {
    if (node === undefined) return this.#count(TrieNode.leaf(key.subarray(pos), value))
    if (node.kind === NODE_KIND.HASH) await this.#load(node)
    if (node.kind === NODE_KIND.BRANCH) {
      if (pos === key.length) {
        if (node.value === undefined || !equalsBytes(node.value, value)) {
          node.value = value
          node.ref = undefined
        }
        return node
      }
      const children = node.children!
      const index = key[pos]!
      const child = await this.#insert(children[index], key, pos + 1, value)
      children[index] = child
      if (child.ref === undefined) node.ref = undefined
      return node
    }
    const path = node.path
    const common = commonPrefixLength(path, key, pos)
    if (node.kind === NODE_KIND.LEAF) {
      if (common === path.length && pos + common === key.length) {
        if (!equalsBytes(node.value!, value)) {
          node.value = value
          node.ref = undefined
        }
        return node
      }
      const branch = this.#count(TrieNode.branch())
      if (common === path.length) {
        branch.value = node.value
      } else {
        // the old leaf moves under the branch with what is left of its path
        branch.children![path[common]!] = node
        node.path = path.subarray(common + 1)
        node.ref = undefined
      }
      this.#attach(branch, key, pos + common, value)
      return common > 0 ? this.#count(TrieNode.extension(path.subarray(0, common), branch)) : branch
    }
    // extension
    if (common === path.length) {
      const child = await this.#insert(node.child, key, pos + common, value)
      node.child = child
      if (child.ref === undefined) node.ref = undefined
      return node
    }
    const branch = this.#count(TrieNode.branch())
    if (path.length - common === 1) {
      branch.children![path[common]!] = node.child
    } else {
      branch.children![path[common]!] = node
      node.path = path.subarray(common + 1)
      node.ref = undefined
    }
    this.#attach(branch, key, pos + common, value)
    return common > 0 ? this.#count(TrieNode.extension(path.subarray(0, common), branch)) : branch
  }

  // Put `value` for the rest of `key` (from pos) into a fresh branch.
  #attach(branch: TrieNode, key: Uint8Array, pos: number, value: Uint8Array): void {
    if (pos === key.length) branch.value = value
    else branch.children![key[pos]!] = this.#count(TrieNode.leaf(key.subarray(pos + 1), value))
  }

  // Returns the node replacing `node` (the same object, unchanged, when the key is absent).
  async #remove(node: TrieNode | undefined, key: Uint8Array, pos: number): Promise<TrieNode | undefined> {
    if (node === undefined) return undefined
    if (node.kind === NODE_KIND.HASH) await this.#load(node)
    if (node.kind === NODE_KIND.BRANCH) {
      const children = node.children!
      if (pos === key.length) {
        if (node.value === undefined) return node
        node.value = undefined
      } else {
        const index = key[pos]!
        const child = children[index]
        if (child === undefined) return node
        const replaced = await this.#remove(child, key, pos + 1)
        if (replaced === child && child.ref !== undefined) return node
        children[index] = replaced
        if (replaced !== undefined) {
          node.ref = undefined
          return node
        }
      }
      node.ref = undefined
      return this.#collapse(node)
    }
    const path = node.path
    const common = commonPrefixLength(path, key, pos)
    if (common !== path.length) return node
    if (node.kind === NODE_KIND.LEAF) return pos + common === key.length ? undefined : node
    const child = node.child!
    const replaced = await this.#remove(child, key, pos + common)
    if (replaced === child && child.ref !== undefined) return node
    if (replaced === undefined) return undefined
    if (replaced.kind === NODE_KIND.BRANCH) {
      node.child = replaced
      node.ref = undefined
      return node
    }
    // the child collapsed to a leaf or extension: absorb our path into it
    replaced.path = concatNibbles(path, replaced.path)
    replaced.ref = undefined
    return replaced
  }

  // A branch lost a child or its value: keep it if it still branches, else fold it.
  async #collapse(branch: TrieNode): Promise<TrieNode | undefined> {
    const children = branch.children!
    let count = 0
    let only = -1
    for (let i = 0; i < 16; i++) {
      if (children[i] !== undefined) {
        count++
        only = i
      }
    }
    if (count >= 2 || (count === 1 && branch.value !== undefined)) return branch
    if (count === 0) return branch.value === undefined ? undefined : this.#count(TrieNode.leaf(EMPTY, branch.value))
    const child = children[only]!
    if (child.kind === NODE_KIND.HASH) await this.#load(child)
    if (child.kind === NODE_KIND.BRANCH) return this.#count(TrieNode.extension(Uint8Array.of(only), child))
    child.path = concatNibbles(Uint8Array.of(only), child.path)
    child.ref = undefined
    return child
  }

  /**
   * Hash every changed node once (children first) and return their writes and the new root.
   * The trie stays loaded and clean, at the new root.
   */
  commit(): { root: Uint8Array; writes: TrieWrite[] } {
    const writes: TrieWrite[] = []
    const root = this.#root
    if (root === undefined) {
      this.#rootHash = KECCAK256_RLP
      return { root: KECCAK256_RLP, writes }
    }
    if (root.ref === undefined) {
      const encoded = this.#hashChildren(root, writes)
      const hash = this.#keccak(encoded)
      writes.push({ key: toHexKey(hash), value: encoded })
      root.ref = encoded.length >= 32 ? hash : encoded
      this.#rootHash = hash
    } else {
      this.#rootHash = root.ref.length === 32 ? root.ref : this.#keccak(root.ref)
    }
    return { root: this.#rootHash, writes }
  }

  // Give every dirty descendant of `node` its ref (writing the hashed ones) and return the RLP of `node`.
  #hashChildren(node: TrieNode, writes: TrieWrite[]): Uint8Array {
    if (node.kind === NODE_KIND.BRANCH) {
      const children = node.children!
      for (let i = 0; i < 16; i++) {
        const child = children[i]
        if (child !== undefined && child.ref === undefined) this.#hashDirty(child, writes)
      }
    } else if (node.kind === NODE_KIND.EXTENSION) {
      const child = node.child!
      if (child.ref === undefined) this.#hashDirty(child, writes)
    }
    return encodeNode(node)
  }

  #hashDirty(node: TrieNode, writes: TrieWrite[]): void {
    const encoded = this.#hashChildren(node, writes)
    if (encoded.length >= 32) {
      const hash = this.#keccak(encoded)
      writes.push({ key: toHexKey(hash), value: encoded })
      node.ref = hash
    } else {
      node.ref = encoded
    }
  }
}

function commonPrefixLength(path: Uint8Array, key: Uint8Array, pos: number): number {
  const max = Math.min(path.length, key.length - pos)
  let i = 0
  while (i < max && path[i] === key[pos + i]) i++
  return i
}

function concatNibbles(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}
