import { RLP } from '@ethereumjs/rlp'
import { KECCAK256_RLP } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { encodeBranch, encodeShortNode } from '../vm/trie/encodeNode.ts'
import { encodeHexPrefix } from '../vm/trie/trieNode.ts'

type Item = { nibbles: Uint8Array; value: Uint8Array }

function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = (key[i] as number) >> 4
    out[2 * i + 1] = (key[i] as number) & 0x0f
  }
  return out
}

/**
 * Root of the Merkle-Patricia trie mapping RLP(index) -> values[index], the layout of the
 * transactions and receipts tries (EIP-2718 / Yellow Paper), computed in memory in one pass over
 * the sorted keys, without a node store: O(n log n) instead of n trie insertions with their node
 * re-encodings and store writes. Nodes are encoded straight into their bytes (vm/trie
 * encodeNode). Equal to MerklePatriciaTrie for every input (tested).
 *
 * @example
 * const txRoot = orderedTrieRoot(txs.map((tx) => tx.serialize()), keccak256)
 */
export function orderedTrieRoot(values: Uint8Array[], keccak256: (data: Uint8Array) => Uint8Array = keccak_256): Uint8Array {
  if (values.length === 0) return KECCAK256_RLP
  const items: Item[] = values.map((value, i) => ({ nibbles: toNibbles(RLP.encode(i)), value }))
  items.sort((a, b) => {
    const n = Math.min(a.nibbles.length, b.nibbles.length)
    for (let i = 0; i < n; i++) {
      const d = (a.nibbles[i] as number) - (b.nibbles[i] as number)
      if (d !== 0) return d
    }
    return a.nibbles.length - b.nibbles.length
  })

  // a child reference: the node's RLP itself when shorter than 32 bytes (embedded), else its hash
  const ref = (encoded: Uint8Array): Uint8Array => (encoded.length < 32 ? encoded : keccak256(encoded))

  // the RLP of the node over items[lo, hi), whose keys share their first `depth` nibbles
  const build = (lo: number, hi: number, depth: number): Uint8Array => {
    const first = items[lo] as Item
    if (hi - lo === 1) return encodeShortNode(encodeHexPrefix(first.nibbles.subarray(depth), true), first.value, false)
    // common prefix of the (sorted) range = common prefix of its first and last keys
    const last = items[hi - 1] as Item
    let end = depth
    while (end < first.nibbles.length && end < last.nibbles.length && first.nibbles[end] === last.nibbles[end]) end++
    if (end > depth) return encodeShortNode(encodeHexPrefix(first.nibbles.subarray(depth, end), false), ref(build(lo, hi, end)), true)
    const refs = new Array<Uint8Array | undefined>(16)
    let value: Uint8Array | undefined
    let i = lo
    if (first.nibbles.length === depth) {
      value = first.value
      i++
    }
    for (let nibble = 0; nibble < 16; nibble++) {
      let j = i
      while (j < hi && (items[j] as Item).nibbles[depth] === nibble) j++
      refs[nibble] = j > i ? ref(build(i, j, depth + 1)) : undefined
      i = j
    }
    return encodeBranch(refs, value)
  }

  return keccak256(build(0, items.length, 0))
}
