import t from 'tap'
import { hashTypedData, recoverAddress, recoverMessageAddress, recoverTypedDataAddress } from 'viem'
import { DEV_ACCOUNTS, toChecksumAddress } from '../../../../genesis/index.ts'
import type { BaseFeeParams } from '../../../../genesis/index.ts'
import { calcNextBaseFee } from '../../../../runtime/index.ts'
import { parseTypedData, toHex, typedDataDigest } from '../../../../rpc/index.ts'
import { CUSTOM_ERROR_ADDRESS, GAS_HUNGRY_ADDRESS, GAS_HUNGRY_MIN, REVERT_ADDRESS, TOKEN_ADDRESS, TRANSFER_TOPIC } from '../../../fixtures/rpc/fakeBackend.ts'
import { startHarness, WsClient } from '../../../fixtures/rpc/harness.ts'

const h = await startHarness()
t.teardown(() => h.close())
const dev0 = DEV_ACCOUNTS[0]!.address.toLowerCase() as `0x${string}`
const dev1 = DEV_ACCOUNTS[1]!.address.toLowerCase() as `0x${string}`

t.test('web3 / net / basic eth', async (t) => {
  t.equal((await h.rpc('web3_clientVersion')).result, 'openledger/v0.1.0')
  t.equal((await h.rpc('web3_sha3', ['0x68656c6c6f'])).result, '0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8')
  t.equal((await h.rpc('net_version')).result, '1337')
  t.equal((await h.rpc('net_listening')).result, true)
  t.equal((await h.rpc('net_peerCount')).result, '0x0')
  t.equal((await h.rpc('eth_syncing')).result, false)
  t.match((await h.rpc('rpc_modules')).result, { eth: '1.0', net: '1.0', web3: '1.0', txpool: '1.0', debug: '1.0' })
  t.same(
    (await h.rpc('eth_accounts')).result,
    DEV_ACCOUNTS.map((a) => a.address.toLowerCase()),
  )
})

t.test('state reads with EIP-1898 block params', async (t) => {
  t.equal((await h.rpc('eth_getBalance', [dev0, 'latest'])).result, '0x21e19e0c9bab2400000')
  t.equal((await h.rpc('eth_getBalance', [dev0])).result, '0x21e19e0c9bab2400000')
  t.equal((await h.rpc('eth_getBalance', ['0x' + '12'.repeat(20), 'earliest'])).result, '0x0')
  for (const tag of ['pending', 'safe', 'finalized', '0x0']) {
    t.equal((await h.rpc('eth_getBalance', [dev0, tag])).result, '0x21e19e0c9bab2400000', tag)
  }
  const genesisHash = toHex(h.backend.blocks[0]!.hash())
  t.equal((await h.rpc('eth_getBalance', [dev0, { blockHash: genesisHash, requireCanonical: true }])).result, '0x21e19e0c9bab2400000')
  t.equal((await h.rpc('eth_getBalance', [dev0, { blockNumber: '0x0' }])).result, '0x21e19e0c9bab2400000')
  const beyond = await h.rpc('eth_getBalance', [dev0, '0x99'])
  t.same(beyond.error, { code: -32001, message: 'header not found' })
  const unknownHash = await h.rpc('eth_getBalance', [dev0, { blockHash: '0x' + '11'.repeat(32) }])
  t.equal(unknownHash.error!.code, -32001)
  const badTag = await h.rpc('eth_getBalance', [dev0, 'newest'])
  t.equal(badTag.error!.code, -32602)
  const leadingZero = await h.rpc('eth_getBalance', [dev0, '0x01'])
  t.equal(leadingZero.error!.code, -32602)
  t.equal((await h.rpc('eth_getCode', [TOKEN_ADDRESS, 'latest'])).result, '0x6080604052')
  t.equal((await h.rpc('eth_getCode', [dev0, 'latest'])).result, '0x')
  t.equal((await h.rpc('eth_getStorageAt', [TOKEN_ADDRESS, '0x0', 'latest'])).result, '0x' + '00'.repeat(31) + '2a')
  t.equal((await h.rpc('eth_getTransactionCount', [dev0, 'latest'])).result, '0x0')
  const proof = (await h.rpc('eth_getProof', [dev0, ['0x1'], 'latest'])).result as { balance: string; storageProof: unknown[] }
  t.equal(proof.balance, '0x21e19e0c9bab2400000')
  t.equal(proof.storageProof.length, 1)
})

t.test('a plain 32-byte hash string is a block param (execution-apis BlockNumberOrTagOrHash)', async (t) => {
  const genesisHash = toHex(h.backend.blocks[0]!.hash())
  const cases: [string, unknown[]][] = [
    ['eth_getBalance', [dev0, genesisHash]],
    ['eth_getCode', [TOKEN_ADDRESS, genesisHash]],
    ['eth_getStorageAt', [TOKEN_ADDRESS, '0x0', genesisHash]],
    ['eth_getTransactionCount', [dev0, genesisHash]],
    ['eth_getProof', [dev0, [], genesisHash]],
    ['eth_call', [{ to: dev1 }, genesisHash]],
    ['eth_estimateGas', [{ from: dev0, to: dev1 }, genesisHash]],
    ['eth_createAccessList', [{ from: dev0, to: dev1 }, genesisHash]],
    ['debug_traceCall', [{ to: dev1 }, genesisHash, { tracer: 'callTracer' }]],
  ]
  for (const [method, params] of cases) {
    h.backend.lastAt = undefined
    const r = await h.rpc(method, params)
    t.equal(r.error, undefined, `${method} accepts a plain hash`)
    t.equal(h.backend.lastAt, 0n, `${method} reads the state of the block the hash names`)
  }
  t.same((await h.rpc('eth_getBlockReceipts', [genesisHash])).result, [], 'eth_getBlockReceipts accepts a plain hash')
  t.equal((await h.rpc('eth_getBalance', [dev0, genesisHash])).result, '0x21e19e0c9bab2400000')
  const unknown = await h.rpc('eth_getBalance', [dev0, '0x' + '11'.repeat(32)])
  t.same(unknown.error, { code: -32001, message: 'header for hash not found' })
  const badHash = await h.rpc('eth_getBalance', [dev0, '0x' + 'zz'.repeat(32)])
  t.equal(badHash.error!.code, -32602)
  t.equal((await h.rpc('eth_getBlockByNumber', [genesisHash, false])).error!.code, -32602, 'block-number-only params still reject hashes')

  // a block off the canonical chain: its own state is read, unless requireCanonical is set
  const seen = (): string => {
    const at = h.backend.lastAt
    return at === undefined || typeof at === 'bigint' ? String(at) : toHex(at.hash())
  }
  const side = h.backend.addSideBlock(0n)
  const sideHash = toHex(side.hash())
  for (const param of [sideHash, { blockHash: sideHash }, { blockHash: sideHash, requireCanonical: false }]) {
    h.backend.lastAt = undefined
    t.equal((await h.rpc('eth_getBalance', [dev0, param])).error, undefined)
    t.equal(seen(), sideHash, `side block state for ${JSON.stringify(param)}`)
  }
  h.backend.lastAt = undefined
  t.equal((await h.rpc('eth_call', [{ to: dev1 }, sideHash])).error, undefined)
  t.equal(seen(), sideHash, 'eth_call runs on the side block')
  const strict = await h.rpc('eth_getBalance', [dev0, { blockHash: sideHash, requireCanonical: true }])
  t.same(strict.error, { code: -32000, message: 'hash is not currently canonical' })
})

t.test('send, pool, mine, receipts, blocks, txs', async (t) => {
  const tx = h.backend.signedTransfer(0, 0n, TOKEN_ADDRESS, 5n)
  const raw = toHex(tx.serialize())
  const hash = (await h.rpc('eth_sendRawTransaction', [raw])).result as string
  t.equal(hash, toHex(tx.hash()))
  t.equal((await h.rpc('eth_getTransactionCount', [dev0, 'pending'])).result, '0x1')
  t.same((await h.rpc('txpool_status')).result, { pending: '0x1', queued: '0x0' })
  const content = (await h.rpc('txpool_content')).result as { pending: Record<string, Record<string, { hash: string }>> }
  t.equal(content.pending[DEV_ACCOUNTS[0]!.address]!['0']!.hash, hash)
  const inspect = (await h.rpc('txpool_inspect')).result as { pending: Record<string, Record<string, string>> }
  t.equal(
    inspect.pending[DEV_ACCOUNTS[0]!.address]!['0'],
    `${toChecksumAddress(TOKEN_ADDRESS)}: 5 wei + 21000 gas × 10000000000 wei`,
    'geth prints the EIP-55 recipient',
  )
  const pendingTx = (await h.rpc('eth_getTransactionByHash', [hash])).result as Record<string, unknown>
  t.equal(pendingTx.blockHash, null)
  t.equal(pendingTx.from, dev0)
  t.equal((await h.rpc('eth_getTransactionReceipt', [hash])).result, null)

  const executed = h.backend.mine()
  const blockHash = toHex(executed.block.hash())
  t.equal((await h.rpc('eth_blockNumber')).result, '0x1')
  const receipt = (await h.rpc('eth_getTransactionReceipt', [hash])).result as Record<string, unknown>
  t.equal(receipt.status, '0x1')
  t.equal(receipt.blockHash, blockHash)
  t.equal(receipt.type, '0x2')
  t.equal(receipt.contractAddress, null)
  t.equal(receipt.to, TOKEN_ADDRESS)
  t.notOk('blobGasUsed' in receipt)
  t.match(receipt.effectiveGasPrice, /^0x[0-9a-f]+$/)
  const logs = receipt.logs as Record<string, unknown>[]
  t.equal(logs.length, 1)
  t.equal(logs[0]!.logIndex, '0x0')
  t.equal(logs[0]!.removed, false)

  const mined = (await h.rpc('eth_getTransactionByHash', [hash])).result as Record<string, unknown>
  t.equal(mined.blockNumber, '0x1')
  t.equal(mined.transactionIndex, '0x0')
  t.equal(mined.type, '0x2')
  t.equal(mined.yParity, mined.v)
  t.same((await h.rpc('eth_getTransactionByBlockHashAndIndex', [blockHash, '0x0'])).result, mined)
  t.same((await h.rpc('eth_getTransactionByBlockNumberAndIndex', ['0x1', '0x0'])).result, mined)
  t.equal((await h.rpc('eth_getTransactionByBlockNumberAndIndex', ['0x1', '0x5'])).result, null)

  const block = (await h.rpc('eth_getBlockByNumber', ['latest', false])).result as Record<string, unknown>
  t.equal(block.hash, blockHash)
  t.same(block.transactions, [hash])
  t.same(block.uncles, [])
  t.match(block.baseFeePerGas, /^0x/)
  const full = (await h.rpc('eth_getBlockByHash', [blockHash, true])).result as { transactions: unknown[] }
  t.same(full.transactions[0], mined)
  t.equal((await h.rpc('eth_getBlockByNumber', ['0x5', false])).result, null)
  t.equal((await h.rpc('eth_getBlockByHash', ['0x' + '00'.repeat(32), false])).result, null)
  t.equal((await h.rpc('eth_getBlockTransactionCountByHash', [blockHash])).result, '0x1')
  t.equal((await h.rpc('eth_getBlockTransactionCountByNumber', ['latest'])).result, '0x1')
  t.equal((await h.rpc('eth_getUncleCountByBlockHash', [blockHash])).result, '0x0')
  t.equal((await h.rpc('eth_getUncleCountByBlockNumber', ['0x1'])).result, '0x0')
  t.equal((await h.rpc('eth_getUncleByBlockNumberAndIndex', ['0x1', '0x0'])).result, null)
  t.equal((await h.rpc('eth_getUncleByBlockHashAndIndex', [blockHash, '0x0'])).result, null)
  const br = (await h.rpc('eth_getBlockReceipts', ['latest'])).result as unknown[]
  t.same(br, [receipt])
  const finalized = (await h.rpc('eth_getBlockByNumber', ['finalized', false])).result as { number: string }
  t.equal(finalized.number, '0x0')
})

t.test("txpool_content / txpool_inspect: geth's layout (sender EIP-55 -> decimal nonce) and recipient", async (t) => {
  const tx = h.backend.signedTransfer(3, 0n, dev1, 7n)
  const hash = (await h.rpc('eth_sendRawTransaction', [toHex(tx.serialize())])).result as string
  t.teardown(() => h.backend.pool.delete(hash))
  const sender = DEV_ACCOUNTS[3]!.address
  t.equal(sender, toChecksumAddress(sender), 'DEV_ACCOUNTS holds EIP-55 addresses')
  const inspect = (await h.rpc('txpool_inspect')).result as { pending: Record<string, Record<string, string>>; queued: unknown }
  t.same(inspect.pending[sender], { '0': `${toChecksumAddress(dev1)}: 7 wei + 21000 gas × 10000000000 wei` })
  t.same(inspect.queued, {})
  const content = (await h.rpc('txpool_content')).result as { pending: Record<string, Record<string, Record<string, unknown>>>; queued: unknown }
  const entry = content.pending[sender]!['0']!
  t.same([entry.hash, entry.from, entry.to, entry.blockHash, entry.blockNumber, entry.transactionIndex], [hash, sender.toLowerCase(), dev1, null, null, null])
  t.equal(entry.gasPrice, '0x2540be400', 'a pooled 1559 tx shows its fee cap as gasPrice (geth)')
  t.same(content.queued, {})
})

t.test('getLogs: address, topic OR lists, nulls, blockHash, limits', async (t) => {
  const all = (await h.rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest' }])).result as unknown[]
  t.equal(all.length, 1)
  const byAddr = (await h.rpc('eth_getLogs', [{ fromBlock: '0x0', address: [TOKEN_ADDRESS, dev1] }])).result as unknown[]
  t.equal(byAddr.length, 1)
  const otherAddr = (await h.rpc('eth_getLogs', [{ fromBlock: '0x0', address: dev1 }])).result as unknown[]
  t.equal(otherAddr.length, 0)
  const orTopics = (await h.rpc('eth_getLogs', [{ fromBlock: '0x0', topics: [['0x' + '00'.repeat(32), TRANSFER_TOPIC], null] }])).result as unknown[]
  t.equal(orTopics.length, 1)
  const wrongTopic = (await h.rpc('eth_getLogs', [{ fromBlock: '0x0', topics: ['0x' + '00'.repeat(32)] }])).result as unknown[]
  t.equal(wrongTopic.length, 0)
  const blockHash = toHex(h.backend.blocks[1]!.hash())
  const byHash = (await h.rpc('eth_getLogs', [{ blockHash }])).result as unknown[]
  t.equal(byHash.length, 1)
  const both = await h.rpc('eth_getLogs', [{ blockHash, fromBlock: '0x0' }])
  t.equal(both.error!.code, -32602)
  const tooManyTopics = await h.rpc('eth_getLogs', [{ topics: [null, null, null, null, null] }])
  t.equal(tooManyTopics.error!.code, -32602)
})

t.test('getLogs range and result limits', async (t) => {
  const small = await startHarness({
    backend: h.backend,
    limits: { ...(await import('../../../../rpc/index.ts')).defaultRpcServerOptions.limits, maxLogsBlockRange: 1n, maxLogsResults: 0 },
  })
  t.teardown(() => small.close())
  const range = await small.rpc('eth_getLogs', [{ fromBlock: '0x0', toBlock: '0x1' }])
  t.same(range.error, { code: -32005, message: 'query exceeds max block range 1' })
  const before = Date.now()
  const results = await small.rpc('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x1' }])
  t.same(results.error, { code: -32005, message: 'query returned more than 0 results' })
  const limits = h.backend.lastLogLimits!
  t.equal(limits.maxResults, 0, 'the result limit reaches the backend, which stops early')
  t.ok(limits.deadline >= before + 30_000 && limits.deadline <= Date.now() + 30_000, 'and so does the request deadline')
})

t.test('filters: block, pending, logs; changes drained; uninstall', async (t) => {
  const bf = (await h.rpc('eth_newBlockFilter')).result as string
  const pf = (await h.rpc('eth_newPendingTransactionFilter')).result as string
  const lf = (await h.rpc('eth_newFilter', [{ address: TOKEN_ADDRESS }])).result as string
  t.same((await h.rpc('eth_getFilterChanges', [bf])).result, [])
  const tx = h.backend.signedTransfer(1, 0n, TOKEN_ADDRESS, 1n)
  await h.rpc('eth_sendRawTransaction', [toHex(tx.serialize())])
  const executed = h.backend.mine()
  t.same((await h.rpc('eth_getFilterChanges', [bf])).result, [toHex(executed.block.hash())])
  t.same((await h.rpc('eth_getFilterChanges', [bf])).result, [])
  t.same((await h.rpc('eth_getFilterChanges', [pf])).result, [toHex(tx.hash())])
  const logs = (await h.rpc('eth_getFilterChanges', [lf])).result as { transactionHash: string }[]
  t.equal(logs.length, 1)
  t.equal(logs[0]!.transactionHash, toHex(tx.hash()))
  const allLogs = (await h.rpc('eth_getFilterLogs', [lf])).result as unknown[]
  t.equal(allLogs.length, 1, 'fromBlock defaults to latest (geth)')
  t.equal((await h.rpc('eth_uninstallFilter', [bf])).result, true)
  t.equal((await h.rpc('eth_uninstallFilter', [bf])).result, false)
  const gone = await h.rpc('eth_getFilterChanges', [bf])
  t.same(gone.error, { code: -32000, message: 'filter not found' })
})

t.test('WS subscriptions: newHeads, logs, newPendingTransactions', async (t) => {
  const ws = await WsClient.connect(h.wsUrl)
  t.teardown(() => ws.close())
  const heads = (await ws.call('eth_subscribe', ['newHeads'])).result as string
  const logs = (await ws.call('eth_subscribe', ['logs', { address: TOKEN_ADDRESS, topics: [TRANSFER_TOPIC] }])).result as string
  const none = (await ws.call('eth_subscribe', ['logs', { address: dev1 }])).result as string
  const pending = (await ws.call('eth_subscribe', ['newPendingTransactions'])).result as string
  const pendingFull = (await ws.call('eth_subscribe', ['newPendingTransactions', true])).result as string
  const tx = h.backend.signedTransfer(2, 0n, TOKEN_ADDRESS, 1n)
  await h.rpc('eth_sendRawTransaction', [toHex(tx.serialize())])
  const executed = h.backend.mine()
  await ws.waitFor(4)
  const by = (id: string) => ws.notifications.filter((n) => n.subscription === id).map((n) => n.result)
  t.same(by(pending), [toHex(tx.hash())])
  const full = by(pendingFull)[0] as Record<string, unknown>
  t.equal(full.hash, toHex(tx.hash()))
  t.equal(full.blockHash, null)
  const head = by(heads)[0] as Record<string, unknown>
  t.equal(head.hash, toHex(executed.block.hash()))
  t.notOk('transactions' in head)
  const log = by(logs)[0] as Record<string, unknown>
  t.equal(log.transactionHash, toHex(tx.hash()))
  t.same(by(none), [])
})

t.test('eth_call: results, reverts with code 3, overrides', async (t) => {
  t.equal((await h.rpc('eth_call', [{ to: dev1, input: '0x1234' }, 'latest'])).result, '0x1234')
  t.equal((await h.rpc('eth_call', [{ to: dev1, data: '0x1234', input: '0x1234' }])).result, '0x1234')
  const conflict = await h.rpc('eth_call', [{ to: dev1, data: '0x12', input: '0x34' }])
  t.equal(conflict.error!.code, -32602)
  const revert = await h.rpc('eth_call', [{ to: REVERT_ADDRESS }, 'latest'])
  t.equal(revert.error!.code, 3)
  t.equal(revert.error!.message, 'execution reverted: nope')
  t.match(revert.error!.data, /^0x08c379a0/)
  const custom = await h.rpc('eth_call', [{ to: CUSTOM_ERROR_ADDRESS }, 'latest'])
  t.same(custom.error, { code: 3, message: 'execution reverted', data: '0x8e4a23d6' + '00'.repeat(32) })
  const so = await h.rpc('eth_call', [{ to: TOKEN_ADDRESS }, 'latest', { [TOKEN_ADDRESS]: { balance: '0x10' } }])
  t.equal(so.result, '0x' + '0'.repeat(62) + '10')
  const bo = await h.rpc('eth_call', [{ to: dev1 }, 'latest', null, { number: '0x99' }])
  t.equal(bo.result, '0x' + '0'.repeat(62) + '99')
  const badOverride = await h.rpc('eth_call', [{ to: dev1 }, 'latest', { [TOKEN_ADDRESS]: { state: {}, stateDiff: {} } }])
  t.equal(badOverride.error!.code, -32602)
  const both = await h.rpc('eth_call', [{ to: dev1, gasPrice: '0x1', maxFeePerGas: '0x1' }])
  t.same(both.error, { code: -32000, message: 'both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified' }, 'geth rejects it after decoding')
})

t.test('eth_estimateGas is the exact minimum; reverts carry data', async (t) => {
  t.equal((await h.rpc('eth_estimateGas', [{ from: dev0, to: dev1, value: '0x1' }])).result, '0x5208')
  const est = (await h.rpc('eth_estimateGas', [{ from: dev0, to: GAS_HUNGRY_ADDRESS }])).result as string
  t.equal(BigInt(est), GAS_HUNGRY_MIN)
  const revert = await h.rpc('eth_estimateGas', [{ from: dev0, to: REVERT_ADDRESS }])
  t.equal(revert.error!.code, 3)
  t.equal(revert.error!.message, 'execution reverted: nope')
  const capped = await h.rpc('eth_estimateGas', [{ from: dev0, to: GAS_HUNGRY_ADDRESS, gas: '0x5208' }])
  t.same(capped.error, { code: -32000, message: 'gas required exceeds allowance (21000)' })
})

t.test('eth_createAccessList and debug traces', async (t) => {
  const al = (await h.rpc('eth_createAccessList', [{ from: dev0, to: dev1 }])).result as { accessList: unknown[]; gasUsed: string }
  t.same(al.accessList, [{ address: TOKEN_ADDRESS, storageKeys: ['0x' + '00'.repeat(32)] }])
  t.equal(al.gasUsed, '0x5208')
  const alRevert = (await h.rpc('eth_createAccessList', [{ from: dev0, to: REVERT_ADDRESS }])).result as { error: string }
  t.equal(alRevert.error, 'execution reverted: nope')
  const trace = (await h.rpc('debug_traceCall', [{ from: dev0, to: dev1 }, 'latest', { tracer: 'callTracer' }])).result as { calls: unknown[] }
  t.equal(trace.calls.length, 1)
  const top = (await h.rpc('debug_traceCall', [{ from: dev0, to: dev1 }, 'latest', { tracer: 'callTracer', tracerConfig: { onlyTopCall: true } }]))
    .result as Record<string, unknown>
  t.notOk('calls' in top)
  const noTracer = await h.rpc('debug_traceCall', [{ to: dev1 }, 'latest', { tracer: 'prestateTracer' }])
  t.equal(noTracer.error!.code, -32602)
  const txHash = toHex(h.backend.blocks[1]!.transactions[0]!.hash())
  const tt = (await h.rpc('debug_traceTransaction', [txHash, { tracer: 'callTracer' }])).result as { type: string }
  t.equal(tt.type, 'CALL')
  const missing = await h.rpc('debug_traceTransaction', ['0x' + '00'.repeat(32), { tracer: 'callTracer' }])
  t.equal(missing.error!.code, -32001)
})

t.test('fees: gasPrice, maxPriorityFeePerGas, feeHistory', async (t) => {
  const tip = BigInt((await h.rpc('eth_maxPriorityFeePerGas')).result as string)
  t.equal(tip, 1_000_000_000n, 'the mined txs tipped 1 gwei')
  const head = (await h.rpc('eth_getBlockByNumber', ['latest', false])).result as { baseFeePerGas: string }
  t.equal(BigInt((await h.rpc('eth_gasPrice')).result as string), tip + BigInt(head.baseFeePerGas))
  const fh = (await h.rpc('eth_feeHistory', ['0x2', 'latest', [25, 75]])).result as {
    oldestBlock: string
    baseFeePerGas: string[]
    gasUsedRatio: number[]
    reward: string[][]
  }
  t.equal(fh.oldestBlock, '0x2')
  t.equal(fh.baseFeePerGas.length, 3)
  t.equal(fh.gasUsedRatio.length, 2)
  t.same(fh.reward, [
    ['0x3b9aca00', '0x3b9aca00'],
    ['0x3b9aca00', '0x3b9aca00'],
  ])
  const decimalCount = (await h.rpc('eth_feeHistory', [4, 'latest'])).result as { oldestBlock: string; reward?: unknown }
  t.equal(decimalCount.oldestBlock, '0x0')
  t.notOk('reward' in decimalCount)
  const badPct = await h.rpc('eth_feeHistory', ['0x1', 'latest', [50, 10]])
  t.same(badPct.error, { code: -32000, message: 'invalid reward percentile: #0:50.000000 >= #1:10.000000' })
  const repeated = await h.rpc('eth_feeHistory', ['0x1', 'latest', [10, 50, 50]])
  t.same(repeated.error, { code: -32000, message: 'invalid reward percentile: #1:50.000000 >= #2:50.000000' }, 'strictly increasing')
  const above = await h.rpc('eth_feeHistory', ['0x1', 'latest', [10, 100.5]])
  t.same(above.error, { code: -32000, message: 'invalid reward percentile: 100.500000' })
  const below = await h.rpc('eth_feeHistory', ['0x1', 'latest', [-1]])
  t.same(below.error, { code: -32000, message: 'invalid reward percentile: -1.000000' })
  const tooMany = await h.rpc('eth_feeHistory', ['0x1', 'latest', Array.from({ length: 101 }, (_, i) => i / 2)])
  t.same(tooMany.error, { code: -32000, message: 'invalid reward percentile: over the query limit 100' })
  const notNumber = await h.rpc('eth_feeHistory', ['0x1', 'latest', ['50']])
  t.equal(notNumber.error!.code, -32602, 'a non-number is a decoding error')
  const edges = (await h.rpc('eth_feeHistory', ['0x1', 'latest', [0, 100]])).result as { reward: string[][] }
  t.same(edges.reward, [['0x3b9aca00', '0x3b9aca00']], '0 and 100 are valid')
  const emptyList = (await h.rpc('eth_feeHistory', ['0x2', 'latest', []])).result as Record<string, unknown>
  t.notOk('reward' in emptyList, 'an empty percentile list omits reward')
  t.equal((emptyList.baseFeePerGas as unknown[]).length, 3)
  // the projected next base fee follows the chain spec's EIP-1559 rules, not Ethereum's 8/2
  const backend = h.backend as unknown as { baseFeeParams: BaseFeeParams }
  const saved = backend.baseFeeParams
  backend.baseFeeParams = { ...saved, maxChangeDenominator: 50n, elasticityMultiplier: 6n }
  try {
    const latest = h.backend.blocks[h.backend.blocks.length - 1]!
    const projected = (await h.rpc('eth_feeHistory', ['0x1', 'latest', []])).result as { baseFeePerGas: string[] }
    t.equal(BigInt(projected.baseFeePerGas[1]!), calcNextBaseFee(latest.header, backend.baseFeeParams), 'next base fee uses the spec parameters')
  } finally {
    backend.baseFeeParams = saved
  }
})

t.test('dev signing: personal_sign, eth_sign, eth_signTypedData_v4, eth_sendTransaction', async (t) => {
  const sig = (await h.rpc('personal_sign', ['0x68656c6c6f', dev0])).result as `0x${string}`
  t.equal((await recoverMessageAddress({ message: 'hello', signature: sig })).toLowerCase(), dev0)
  const sig2 = (await h.rpc('eth_sign', [dev0, '0x68656c6c6f'])).result as `0x${string}`
  t.equal(sig2, sig)
  const typed = {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      Person: [
        { name: 'name', type: 'string' },
        { name: 'wallet', type: 'address' },
      ],
      Mail: [
        { name: 'from', type: 'Person' },
        { name: 'to', type: 'Person[]' },
        { name: 'contents', type: 'string' },
        { name: 'nonce', type: 'uint256' },
        { name: 'tag', type: 'bytes32' },
      ],
    },
    primaryType: 'Mail' as const,
    domain: { name: 'Ether Mail', version: '1', chainId: 1337, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' as const },
    message: {
      from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
      to: [{ name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' }],
      contents: 'Hello, Bob!',
      nonce: 7n,
      tag: '0x' + 'ab'.repeat(32),
    },
  }
  const json = JSON.stringify(typed, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  const tsig = (await h.rpc('eth_signTypedData_v4', [dev0, json])).result as `0x${string}`
  const recovered = await recoverTypedDataAddress({ ...typed, signature: tsig } as Parameters<typeof recoverTypedDataAddress>[0])
  t.equal(recovered.toLowerCase(), dev0)
  // the node signs exactly the EIP-712 digest viem computes for the same data
  const digest = hashTypedData(typed as Parameters<typeof hashTypedData>[0])
  t.equal(toHex(typedDataDigest(parseTypedData(JSON.parse(json)))), digest, "our digest equals viem's")
  t.equal((await recoverAddress({ hash: digest, signature: tsig })).toLowerCase(), dev0, 'the signature is over that digest')
  const unknown = await h.rpc('personal_sign', ['0x00', '0x' + '12'.repeat(20)])
  t.same(unknown.error, { code: -32000, message: 'unknown account' })
  const badTyped = await h.rpc('eth_signTypedData_v4', [dev0, '{"types":{}}'])
  t.equal(badTyped.error!.code, -32602)

  const nonceBefore = BigInt((await h.rpc('eth_getTransactionCount', [dev0, 'pending'])).result as string)
  const hash = (await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, value: '0x1' }])).result as string
  const pooled = (await h.rpc('eth_getTransactionByHash', [hash])).result as Record<string, string>
  t.equal(pooled.from, dev0)
  t.equal(BigInt(pooled.nonce!), nonceBefore)
  t.equal(pooled.gas, '0x5208')
  t.equal(pooled.type, '0x2')
  const notDev = await h.rpc('eth_sendTransaction', [{ from: '0x' + '12'.repeat(20), to: dev1 }])
  t.same(notDev.error, { code: -32000, message: 'unknown account' })
})

t.test("eth_sendTransaction: fee and chain-id mistakes answer -32000 in geth's words", async (t) => {
  const tip = BigInt((await h.rpc('eth_maxPriorityFeePerGas')).result as string)
  const q = (n: bigint): string => '0x' + n.toString(16)
  const below = await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, maxFeePerGas: '0x1' }])
  t.same(below.error, { code: -32000, message: `maxFeePerGas (0x1) < maxPriorityFeePerGas (${q(tip)})` }, 'fee cap below the suggested tip')
  const both = await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x2' }])
  t.same(both.error, { code: -32000, message: 'maxFeePerGas (0x1) < maxPriorityFeePerGas (0x2)' }, 'fee cap below the given tip')
  const zeroCap = await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, maxFeePerGas: '0x0', maxPriorityFeePerGas: '0x0' }])
  t.same(zeroCap.error, { code: -32000, message: 'maxFeePerGas must be non-zero' })
  const zeroPrice = await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, gasPrice: '0x0' }])
  t.same(zeroPrice.error, { code: -32000, message: 'gasPrice must be non-zero after london fork' })
  const create = await h.rpc('eth_sendTransaction', [{ from: dev0 }])
  t.same(create.error, { code: -32000, message: 'contract creation without any data provided' })
  const chain = await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, chainId: '0x5' }])
  t.same(chain.error, { code: -32000, message: "chainId does not match node's (have=5, want=1337)" })
  const call = await h.rpc('eth_call', [{ to: dev1, chainId: '0x5' }])
  t.same(call.error, { code: -32000, message: "chainId does not match node's (have=5, want=1337)" }, 'eth_call checks it too')
  const ok = await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, value: '0x1', chainId: '0x539', maxFeePerGas: q(tip * 100n) }])
  t.match(ok.result, /^0x[0-9a-f]{64}$/, "the node's chain id and a fee cap above the tip are accepted")
  const pooled = (await h.rpc('eth_getTransactionByHash', [ok.result])).result as Record<string, string>
  t.equal(BigInt(pooled.maxFeePerGas!), tip * 100n)
  t.equal(BigInt(pooled.maxPriorityFeePerGas!), tip)
  t.equal(pooled.chainId, '0x539')
  const legacy = await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, gasPrice: q(10n ** 10n) }])
  t.equal(((await h.rpc('eth_getTransactionByHash', [legacy.result])).result as Record<string, string>).type, '0x0')
  // leave the pool as it was for the tests below
  h.backend.pool.delete(ok.result as string)
  h.backend.pool.delete(legacy.result as string)
})

t.test('dev-only methods are unavailable without --dev', async (t) => {
  const prod = await startHarness({ dev: false })
  t.teardown(() => prod.close())
  t.same((await prod.rpc('eth_accounts')).result, [])
  const r = await prod.rpc('personal_sign', ['0x00', dev0])
  t.equal(r.error!.code, -32601)
})

t.test('evm_mine seals the pool into a block on a --dev node only', async (t) => {
  const before = BigInt((await h.rpc('eth_blockNumber')).result as string)
  const hash = (await h.rpc('eth_sendTransaction', [{ from: dev0, to: dev1, value: '0x2' }])).result as string
  t.equal((await h.rpc('eth_getTransactionReceipt', [hash])).result, null, 'pooled, not yet mined')
  t.equal((await h.rpc('evm_mine')).result, '0x0')
  t.equal(BigInt((await h.rpc('eth_blockNumber')).result as string), before + 1n, 'one block')
  const receipt = (await h.rpc('eth_getTransactionReceipt', [hash])).result as { blockNumber: string } | null
  t.equal(receipt?.blockNumber, '0x' + (before + 1n).toString(16), 'the pooled tx is in it')
  t.equal((await h.rpc('evm_mine', [1])).error!.code, -32602, 'no params taken')

  const prod = await startHarness({ dev: false })
  t.teardown(() => prod.close())
  t.equal((await prod.rpc('evm_mine')).error!.code, -32601, 'not served without --dev')
})

t.test('logs subscriptions take fromBlock / toBlock as geth: numeric bounds filter new logs, pending and bad ranges are refused', async (t) => {
  const ws = await WsClient.connect(h.wsUrl)
  t.teardown(() => ws.close())
  const hex = (n: bigint): string => '0x' + n.toString(16)
  const head = BigInt((await h.rpc('eth_blockNumber')).result as string)
  const sub = async (criteria: Record<string, unknown>): Promise<string> => {
    const r = await ws.call('eth_subscribe', ['logs', { address: TOKEN_ADDRESS, ...criteria }])
    t.equal(r.error, undefined, JSON.stringify(criteria))
    return r.result as string
  }
  const fromNext2 = await sub({ fromBlock: hex(head + 2n) })
  const upToHead = await sub({ fromBlock: '0x0', toBlock: hex(head) })
  const onlyNext1 = await sub({ fromBlock: hex(head + 1n), toBlock: hex(head + 1n) })
  const earliest = await sub({ fromBlock: 'earliest' })
  const byHash = await sub({ blockHash: toHex(h.backend.blocks[0]!.hash()) })
  for (const [criteria, message] of [
    [{ fromBlock: 'pending' }, 'pending logs are not supported'],
    [{ toBlock: 'pending' }, 'pending logs are not supported'],
    [{ fromBlock: '0x5', toBlock: '0x2' }, 'invalid block range params'],
    [{ fromBlock: 'latest', toBlock: '0x5' }, 'invalid block range params'],
    [{ fromBlock: 'safe' }, 'invalid block range params'],
    [{ fromBlock: '0x1', toBlock: 'finalized' }, 'invalid block range params'],
  ] as const) {
    const r = (await ws.call('eth_subscribe', ['logs', criteria])) as { error?: unknown }
    t.same(r.error, { code: -32602, message }, JSON.stringify(criteria))
  }
  t.same(
    (await h.rpc('eth_newFilter', [{ fromBlock: 'pending' }])).error,
    { code: -32602, message: 'pending logs are not supported' },
    'eth_newFilter checks the same way',
  )

  const mineTransfer = async (account: number): Promise<string> => {
    const address = DEV_ACCOUNTS[account]!.address.toLowerCase()
    const nonce = BigInt((await h.rpc('eth_getTransactionCount', [address, 'pending'])).result as string)
    const tx = h.backend.signedTransfer(account, nonce, TOKEN_ADDRESS, 1n)
    await h.rpc('eth_sendRawTransaction', [toHex(tx.serialize())])
    h.backend.mine()
    return toHex(tx.hash())
  }
  const first = await mineTransfer(5) // block head + 1
  const second = await mineTransfer(6) // block head + 2
  await ws.waitFor(6)
  const by = (id: string) => ws.notifications.filter((n) => n.subscription === id).map((n) => (n.result as { transactionHash: string }).transactionHash)
  t.same(by(fromNext2), [second], 'nothing before fromBlock')
  t.same(by(upToHead), [], 'nothing after toBlock')
  t.same(by(onlyNext1), [first], 'a one-block range')
  t.same(by(earliest), [first, second], 'earliest: every new log')
  t.same(by(byHash), [first, second], 'a blockHash does not bound a live filter (geth ignores it)')
})
