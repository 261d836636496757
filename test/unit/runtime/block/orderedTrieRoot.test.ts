import t from 'tap'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { equalsBytes } from '@ethereumjs/util'
import { orderedTrieRoot } from '../../../../runtime/block/orderedTrieRoot.ts'
import { createPrng } from '../../../fixtures/chain/prng.ts'

t.test('orderedTrieRoot equals the MPT root of RLP(index) -> value', async (t) => {
  const prng = createPrng(99)
  for (const n of [0, 1, 2, 3, 15, 16, 17, 127, 128, 129, 255, 256, 300, 1000, 2100]) {
    // short values (embedded nodes) and long ones (hashed nodes)
    const values = Array.from({ length: n }, () => Uint8Array.from({ length: prng.int(3) === 0 ? 1 + prng.int(8) : 40 + prng.int(200) }, () => prng.int(256)))
    const trie = new MerklePatriciaTrie()
    for (const [i, v] of values.entries()) await trie.put(RLP.encode(i), v)
    t.ok(equalsBytes(orderedTrieRoot(values), trie.root()), `n = ${n}`)
  }
})
