import { RLP } from '@ethereumjs/rlp'
import type { NestedUint8Array } from '@ethereumjs/rlp'
import { KECCAK256_RLP } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'

type Item = { nibbles: Uint8Array; value: Uint8Array }
type RawNode = Uint8Array | NestedUint8Array

function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2)
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = (key[i] as number) >> 4
    out[2 * i + 1] = (key[i] as number) & 0x0f
  }
  return out
}

/** Hex-prefix encoding (Yellow Paper appendix C) of nibbles[from..], with the leaf flag. */
function hexPrefix(nibbles: Uint8Array, from: number, to: number, leaf: boolean): Uint8Array {
  const length = to - from
  const odd = length % 2 === 1
  const out = new Uint8Array(Math.floor(length / 2) + 1)
  const flag = (leaf ? 2 : 0) + (odd ? 1 : 0)
  let i = from
  if (odd) {
    out[0] = (flag << 4) | (nibbles[i++] as number)
  } else {
    out[0] = flag << 4
  }
  for (let o = 1; i < to; o++, i += 2) out[o] = ((nibbles[i] as number) << 4) | (nibbles[i + 1] as number)
  return out
}

/**
 * Root of the Merkle-Patricia trie mapping RLP(index) -> values[index], the layout of the
 * transactions and receipts tries (EIP-2718 / Yellow Paper), computed in memory in one pass over
 * the sorted keys, without a node store: O(n log n) instead of n trie insertions with their node
 * re-encodings and store writes. Equal to MerklePatriciaTrie for every input (tested).
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

  // a child reference: the node itself when its encoding is shorter than 32 bytes, else its hash
  const ref = (node: RawNode): RawNode => {
    const encoded = RLP.encode(node)
    return encoded.length < 32 ? node : keccak256(encoded)
  }

  const build = (lo: number, hi: number, depth: number): RawNode => {
    const first = items[lo] as Item
    if (hi - lo === 1) return [hexPrefix(first.nibbles, depth, first.nibbles.length, true), first.value]
    // common prefix of the (sorted) range = common prefix of its first and last keys
    const last = items[hi - 1] as Item
    let end = depth
    while (end < first.nibbles.length && end < last.nibbles.length && first.nibbles[end] === last.nibbles[end]) end++
    if (end > depth) return [hexPrefix(first.nibbles, depth, end, false), ref(build(lo, hi, end))]
    const branch: RawNode[] = []
    let value: Uint8Array = new Uint8Array(0)
    let i = lo
    if (first.nibbles.length === depth) {
      value = first.value
      i++
    }
    for (let nibble = 0; nibble < 16; nibble++) {
      let j = i
      while (j < hi && (items[j] as Item).nibbles[depth] === nibble) j++
      branch.push(j > i ? ref(build(i, j, depth + 1)) : new Uint8Array(0))
      i = j
    }
    branch.push(value)
    return branch
  }

  return keccak256(RLP.encode(build(0, items.length, 0)))
}
