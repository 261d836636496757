// debug_getRawHeader / getRawBlock / getRawTransaction / getRawReceipts on the real node: the
// bytes decode to what the chain holds and hash to the header's roots.
import { createBlockFromRLP, createBlockHeaderFromRLP } from '@ethereumjs/block'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { hexToBytes } from '@ethereumjs/util'
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../../../genesis/index.ts'
import { toHex } from '../../../../../rpc/index.ts'
import { PROBE } from '../../../../fixtures/contracts/contracts.ts'
import { startNodeHarness } from '../../../../fixtures/rpc/nodeHarness.ts'

const h = await startNodeHarness()
t.teardown(() => h.close())
const dev0 = DEV_ACCOUNTS[0]!.address.toLowerCase()
const dev1 = DEV_ACCOUNTS[1]!.address.toLowerCase()
const deploy = await h.send({ from: dev0, data: PROBE.bytecode })
const transfer = await h.send({ from: dev0, to: dev1, value: '0x1', type: '0x0', gasPrice: '0x77359400' })
const common = h.chain.common

t.test('header and block RLP decode to the stored block', async (t) => {
  const head = h.chain.head()
  for (const param of ['latest', toHex(head.hash()), { blockHash: toHex(head.hash()) }, '0x' + head.header.number.toString(16)]) {
    const header = createBlockHeaderFromRLP(hexToBytes((await h.rpc('debug_getRawHeader', [param])).result), { common, skipConsensusFormatValidation: true })
    t.same(header.hash(), head.hash(), `header ${JSON.stringify(param)}`)
    const block = createBlockFromRLP(hexToBytes((await h.rpc('debug_getRawBlock', [param])).result), { common, skipConsensusFormatValidation: true })
    t.same(block.hash(), head.hash(), `block ${JSON.stringify(param)}`)
    t.equal(block.transactions.length, 1)
  }
  t.equal((await h.rpc('debug_getRawHeader', ['0x99'])).result, null, 'a number past the head: null (geth)')
  t.equal((await h.rpc('debug_getRawBlock', ['0x99'])).result, null)
  t.same((await h.rpc('debug_getRawHeader', ['0x' + '11'.repeat(32)])).error, { code: -32000, message: 'header not found' })
})

t.test('raw receipts rebuild the receipts root; raw txs are the signed bytes', async (t) => {
  for (const receipt of [deploy, transfer]) {
    const blockHash = receipt.blockHash as `0x${string}`
    const header =
      h.chain.head().header.number === BigInt(receipt.blockNumber)
        ? h.chain.head().header
        : (await h.chain.getBlockByHash(hexToBytes(blockHash as `0x${string}`)))!.header
    const raw = (await h.rpc('debug_getRawReceipts', [blockHash])).result as string[]
    t.equal(raw.length, 1)
    const trie = new MerklePatriciaTrie()
    for (let i = 0; i < raw.length; i++) await trie.put(RLP.encode(i), hexToBytes(raw[i] as `0x${string}`))
    t.same(trie.root(), header.receiptTrie, `receipt root of block ${receipt.blockNumber}`)
    const tx = (await h.chain.getBlockByHash(hexToBytes(blockHash as `0x${string}`)))!.transactions[0]!
    t.equal((await h.rpc('debug_getRawTransaction', [receipt.transactionHash])).result, toHex(tx.serialize()))
  }
  t.equal(((await h.rpc('debug_getRawReceipts', [transfer.blockHash])).result as string[])[0]!.slice(0, 4), '0xf9', 'a legacy receipt is plain RLP')
  t.equal((await h.rpc('debug_getRawTransaction', ['0x' + '22'.repeat(32)])).result, null)
  const pending = await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, value: '0x2' }])
  const pooled = h.txpool.get(hexToBytes(pending.result))!
  t.equal((await h.rpc('debug_getRawTransaction', [pending.result])).result, toHex(pooled.tx.serialize()), 'a pooled tx')
  await h.mine()
})
