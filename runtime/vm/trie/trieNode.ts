import { RLP } from '@ethereumjs/rlp'
import type { NestedUint8Array } from '@ethereumjs/rlp'

/**
 * Merkle Patricia trie nodes as the Ethereum yellow paper defines them (appendix D) and
 * @ethereumjs/mpt stores them: a node is the RLP of a leaf [hexPrefix(path, leaf), value], an
 * extension [hexPrefix(path), childRef] or a branch [ref0..ref15, value]; a child reference is
 * the keccak hash of the child's RLP when that is 32 bytes or longer, else the child's RLP
 * itself (an embedded node). Nibble paths are Uint8Arrays of values 0..15.
 */

/** Node kinds. A HASH node is a reference not yet loaded from the node store. */
export const NODE_KIND = { HASH: 0, LEAF: 1, EXTENSION: 2, BRANCH: 3 } as const
/** One of {@link NODE_KIND}. */
export type NodeKind = (typeof NODE_KIND)[keyof typeof NODE_KIND]

const EMPTY = new Uint8Array(0)
const BRANCH_WIDTH = 16
const HASH_LENGTH = 32

/**
 * A mutable trie node. One class for every kind keeps property access monomorphic; a HASH node
 * is turned into the node it references in place ({@link TrieNode.loadFrom}), so parents never
 * need updating when a subtree is loaded.
 *
 * `ref` is the node's reference as its parent encodes it (32-byte hash, or the node's own RLP
 * when shorter than 32 bytes) and doubles as the clean flag: undefined means the node changed
 * since it was last hashed.
 */
export class TrieNode {
  kind: NodeKind
  /** LEAF / EXTENSION: the nibbles this node consumes */
  path: Uint8Array
  /** LEAF: the value; BRANCH: the value of a key ending here (never in fixed-length-key tries) */
  value: Uint8Array | undefined
  /** EXTENSION: the child (always a branch in a well-formed trie) */
  child: TrieNode | undefined
  /** BRANCH: 16 children */
  children: (TrieNode | undefined)[] | undefined
  ref: Uint8Array | undefined

  constructor(
    kind: NodeKind,
    path: Uint8Array,
    value: Uint8Array | undefined,
    child: TrieNode | undefined,
    children: (TrieNode | undefined)[] | undefined,
    ref: Uint8Array | undefined,
  ) {
    this.kind = kind
    this.path = path
    this.value = value
    this.child = child
    this.children = children
    this.ref = ref
  }

  /** An unloaded reference to the node stored under `hash`. */
  static hash(hash: Uint8Array): TrieNode {
    return new TrieNode(NODE_KIND.HASH, EMPTY, undefined, undefined, undefined, hash)
  }

  static leaf(path: Uint8Array, value: Uint8Array): TrieNode {
    return new TrieNode(NODE_KIND.LEAF, path, value, undefined, undefined, undefined)
  }

  static extension(path: Uint8Array, child: TrieNode): TrieNode {
    return new TrieNode(NODE_KIND.EXTENSION, path, undefined, child, undefined, undefined)
  }

  static branch(): TrieNode {
    return new TrieNode(NODE_KIND.BRANCH, EMPTY, undefined, undefined, new Array<TrieNode | undefined>(BRANCH_WIDTH).fill(undefined), undefined)
  }

  /** Turn this HASH node into the node whose RLP is `encoded` (its ref stays the hash). */
  loadFrom(encoded: Uint8Array): void {
    const decoded = RLP.decode(encoded)
    if (decoded instanceof Uint8Array) throw new Error('trie node is not an RLP list')
    this.#assign(decoded)
  }

  #assign(raw: NestedUint8Array): void {
    if (raw.length === BRANCH_WIDTH + 1) {
      const children = new Array<TrieNode | undefined>(BRANCH_WIDTH)
      for (let i = 0; i < BRANCH_WIDTH; i++) children[i] = childFromRaw(raw[i]!)
      const value = raw[BRANCH_WIDTH]!
      if (!(value instanceof Uint8Array)) throw new Error('branch value is not a byte string')
      this.kind = NODE_KIND.BRANCH
      this.children = children
      this.value = value.length === 0 ? undefined : value
      return
    }
    if (raw.length !== 2) throw new Error(`trie node has ${raw.length} items`)
    const encodedPath = raw[0]!
    if (!(encodedPath instanceof Uint8Array) || encodedPath.length === 0) throw new Error('trie node path is not a byte string')
    const { path, leaf } = decodeHexPrefix(encodedPath)
    this.path = path
    if (leaf) {
      const value = raw[1]!
      if (!(value instanceof Uint8Array)) throw new Error('leaf value is not a byte string')
      this.kind = NODE_KIND.LEAF
      this.value = value
    } else {
      const child = childFromRaw(raw[1]!)
      if (child === undefined) throw new Error('extension without a child')
      this.kind = NODE_KIND.EXTENSION
      this.child = child
    }
  }

  /** Embedded node from its decoded RLP list (its ref is its own re-encoded RLP). */
  static fromEmbedded(raw: NestedUint8Array): TrieNode {
    const node = TrieNode.hash(EMPTY)
    node.#assign(raw)
    node.ref = RLP.encode(raw)
    return node
  }
}

function childFromRaw(raw: NestedUint8Array | Uint8Array): TrieNode | undefined {
  if (raw instanceof Uint8Array) {
    if (raw.length === 0) return undefined
    if (raw.length !== HASH_LENGTH) throw new Error(`child reference of ${raw.length} bytes`)
    return TrieNode.hash(raw)
  }
  return TrieNode.fromEmbedded(raw)
}

/** Key bytes -> nibbles (two per byte, high first). */
export function bytesToNibbles(key: Uint8Array): Uint8Array {
  const nibbles = new Uint8Array(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    const b = key[i]!
    nibbles[2 * i] = b >> 4
    nibbles[2 * i + 1] = b & 0x0f
  }
  return nibbles
}

/** Hex-prefix encoding (yellow paper appendix C): flag nibble 2 for a leaf, +1 for an odd length. */
export function encodeHexPrefix(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length & 1
  const out = new Uint8Array((path.length >> 1) + 1)
  const flag = (leaf ? 2 : 0) + odd
  let i = 0
  if (odd === 1) {
    out[0] = (flag << 4) | path[0]!
    i = 1
  } else {
    out[0] = flag << 4
  }
  for (let o = 1; i < path.length; i += 2, o++) out[o] = (path[i]! << 4) | path[i + 1]!
  return out
}

/** Inverse of {@link encodeHexPrefix}. */
export function decodeHexPrefix(encoded: Uint8Array): { path: Uint8Array; leaf: boolean } {
  const flag = encoded[0]! >> 4
  if (flag > 3) throw new Error(`invalid hex-prefix flag ${flag}`)
  const odd = flag & 1
  const path = new Uint8Array((encoded.length - 1) * 2 + odd)
  let o = 0
  if (odd === 1) path[o++] = encoded[0]! & 0x0f
  for (let i = 1; i < encoded.length; i++) {
    path[o++] = encoded[i]! >> 4
    path[o++] = encoded[i]! & 0x0f
  }
  return { path, leaf: flag >= 2 }
}
