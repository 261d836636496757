// blockTimestamp on mined transactions and on logs (geth since 2025; execution-apis
// TransactionInfo and Log), null on pending transactions, absent from the receipt object itself.
import t from 'tap'
import { toHex, toQuantity } from '../../../../rpc/index.ts'
import { TOKEN_ADDRESS } from '../../../fixtures/rpc/fakeBackend.ts'
import { startHarness } from '../../../fixtures/rpc/harness.ts'

type Obj = Record<string, unknown>

t.test('mined txs and their logs carry the block timestamp, pending txs null', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const tx = h.backend.signedTransfer(0, 0n, TOKEN_ADDRESS, 1n)
  const hash = toHex(tx.hash())
  await h.backend.sendTransaction(tx)
  const pending = (await h.rpc('eth_getTransactionByHash', [hash])).result as Obj
  t.equal(pending.blockTimestamp, null, 'pending tx')
  t.ok('blockTimestamp' in pending, 'the key is present, as geth writes it')
  const pooled = (await h.rpc('txpool_content')).result as { pending: Record<string, Record<string, Obj>> }
  t.equal(Object.values(Object.values(pooled.pending)[0]!)[0]!.blockTimestamp, null, 'txpool_content')

  const { block } = h.backend.mine()
  const ts = toQuantity(block.header.timestamp)
  t.not(block.header.timestamp, 0n)
  const mined = (await h.rpc('eth_getTransactionByHash', [hash])).result as Obj
  t.equal(mined.blockTimestamp, ts, 'eth_getTransactionByHash')
  t.equal(Object.keys(mined).indexOf('blockTimestamp'), Object.keys(mined).indexOf('blockNumber') + 1, "geth's field order")
  const byIndex = (await h.rpc('eth_getTransactionByBlockNumberAndIndex', [toQuantity(block.header.number), '0x0'])).result as Obj
  t.equal(byIndex.blockTimestamp, ts, 'eth_getTransactionByBlockNumberAndIndex')
  const byHashIndex = (await h.rpc('eth_getTransactionByBlockHashAndIndex', [toHex(block.hash()), '0x0'])).result as Obj
  t.equal(byHashIndex.blockTimestamp, ts, 'eth_getTransactionByBlockHashAndIndex')
  const full = (await h.rpc('eth_getBlockByNumber', ['latest', true])).result as { transactions: Obj[] }
  t.equal(full.transactions[0]!.blockTimestamp, ts, 'hydrated block')

  const receipt = (await h.rpc('eth_getTransactionReceipt', [hash])).result as Obj & { logs: Obj[] }
  t.notOk('blockTimestamp' in receipt, 'the receipt object has none (ReceiptInfo, geth MarshalReceipt)')
  t.equal(receipt.logs.length, 1)
  t.equal(receipt.logs[0]!.blockTimestamp, ts, 'receipt log')
  t.equal(Object.keys(receipt.logs[0]!).indexOf('blockTimestamp'), Object.keys(receipt.logs[0]!).indexOf('blockHash') + 1, "geth's field order")
  const blockReceipts = (await h.rpc('eth_getBlockReceipts', ['latest'])).result as { logs: Obj[] }[]
  t.equal(blockReceipts[0]!.logs[0]!.blockTimestamp, ts, 'eth_getBlockReceipts log')
  const logs = (await h.rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: TOKEN_ADDRESS }])).result as Obj[]
  t.equal(logs.length, 1)
  t.equal(logs[0]!.blockTimestamp, ts, 'eth_getLogs')
})

t.test('filter changes carry it too', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const id = (await h.rpc('eth_newFilter', [{ address: TOKEN_ADDRESS }])).result as string
  await h.backend.sendTransaction(h.backend.signedTransfer(0, 0n, TOKEN_ADDRESS, 1n))
  const { block } = h.backend.mine()
  const changes = (await h.rpc('eth_getFilterChanges', [id])).result as Obj[]
  t.equal(changes.length, 1)
  t.equal(changes[0]!.blockTimestamp, toQuantity(block.header.timestamp))
})
