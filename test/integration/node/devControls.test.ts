// The --dev controls on a real node: LevelDB chain, txpool, automining sequencer and the node RPC
// backend (startNodeHarness with a sequencer), over HTTP and WebSocket, with viem's test client;
// the composition root's wiring through createNode, a restart included.
import t from 'tap'
import type { Test } from 'tap'
import { bytesToHex, createAddressFromString, utf8ToBytes } from '@ethereumjs/util'
import { createTestClient, http, parseEther, publicActions } from 'viem'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { createLogger, createNode } from '../../../node/index.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { tokenDeployData, tokenTransferData } from '../../fixtures/contracts/token.ts'
import { poll } from '../../fixtures/poll.ts'
import { WsClient } from '../../fixtures/rpc/harness.ts'
import { rpcAt, startNodeHarness } from '../../fixtures/rpc/nodeHarness.ts'

const dev0 = DEV_ACCOUNTS[0]!.address.toLowerCase()
const dev1 = DEV_ACCOUNTS[1]!.address.toLowerCase()
const FRESH = `0x${'42'.repeat(20)}` as const
const WEEK = 7n * 86_400n
const hex = (n: bigint): string => `0x${n.toString(16)}`

/** The result of a call to `url`, or a thrown error naming the method. */
async function call(url: string, method: string, params: unknown[] = []): Promise<any> {
  const r = await rpcAt(url, method, params)
  if (r.error !== undefined) throw new Error(`${method}: ${r.error.message}`)
  return r.result
}

/** Send with the dev signer and wait for the automined receipt. */
async function sendAndWait(url: string, tx: Record<string, unknown>): Promise<Record<string, any>> {
  const hash = (await call(url, 'eth_sendTransaction', [tx])) as string
  return poll(async () => ((await call(url, 'eth_getTransactionReceipt', [hash])) as Record<string, any> | null) ?? undefined, {
    timeoutMs: 20_000,
    what: `the receipt of ${hash}`,
  })
}

async function latest(url: string): Promise<{ number: bigint; timestamp: bigint; hash: string; extraData: string; transactions: unknown[] }> {
  const b = await call(url, 'eth_getBlockByNumber', ['latest', false])
  return { number: BigInt(b.number), timestamp: BigInt(b.timestamp), hash: b.hash, extraData: b.extraData, transactions: b.transactions }
}

async function harness(t: Test, options: { dataDir?: string } = {}) {
  const h = await startNodeHarness({ sequencer: true, ...options })
  t.teardown(() => h.close())
  return h
}

t.test('evm_increaseTime by 7 days, then evm_mine: the block is a week later; evm_setNextBlockTimestamp is exact', async (t) => {
  const { url } = await harness(t)
  // a block at the wall clock first (genesis carries the spec's fixed timestamp)
  await call(url, 'evm_mine')
  const before = await latest(url)
  t.equal(await call(url, 'evm_increaseTime', [Number(WEEK)]), Number(WEEK), 'answers the total offset')
  t.equal(await call(url, 'evm_mine'), '0x0')
  const after = await latest(url)
  t.equal(after.number, before.number + 1n)
  const gap = after.timestamp - before.timestamp
  t.ok(gap >= WEEK && gap < WEEK + 600n, `the block is ${gap} s (>= 7 days) after the previous one`)
  await call(url, 'evm_mine')
  const next = await latest(url)
  t.ok(next.timestamp > after.timestamp && next.timestamp - after.timestamp < 600n, 'the block after continues from the offset, not from the wall clock')

  const target = next.timestamp + 1_000n
  t.equal(await call(url, 'evm_setNextBlockTimestamp', [hex(target)]), null)
  const receipt = await sendAndWait(url, { from: dev0, to: dev1, value: '0x1' })
  const mined = await call(url, 'eth_getBlockByNumber', [receipt.blockNumber, false])
  t.equal(BigInt(mined.timestamp), target, 'the automined block has exactly the requested timestamp')
  await call(url, 'evm_mine')
  const continued = await latest(url)
  t.ok(continued.timestamp > target && continued.timestamp - target < 600n, 'later blocks continue from it')

  const refused = await rpcAt(url, 'evm_setNextBlockTimestamp', [Number(continued.timestamp)])
  t.equal(refused.error?.code, -32602)
  t.equal(refused.error?.message, `Timestamp error: ${continued.timestamp} is lower than or equal to previous block's timestamp ${continued.timestamp}`)
  // anvil: the requested timestamp moved the offset to (requested - now), about a week and 1,000 s
  const total = BigInt(await call(url, 'evm_increaseTime', ['0x0']))
  t.ok(total > WEEK + 900n && total < WEEK + 1_100n, `the total offset (${total} s) followed the requested timestamp`)
})

t.test('snapshot, txs and blocks, revert: head, balances, receipts, blocks, logs and the clock are back; ids are used up', async (t) => {
  const h = await harness(t)
  const { url } = h
  const deploy = await sendAndWait(url, { from: dev0, data: bytesToHex(tokenDeployData(1_000n)), gas: hex(2_000_000n) })
  const token = deploy.contractAddress as string
  const logs = async (): Promise<unknown[]> => call(url, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: token }])
  const snap = await call(url, 'evm_snapshot')
  t.equal(snap, '0x1')
  const base = {
    head: await latest(url),
    balance0: await call(url, 'eth_getBalance', [dev0, 'latest']),
    balance1: await call(url, 'eth_getBalance', [dev1, 'latest']),
    nonce0: await call(url, 'eth_getTransactionCount', [dev0, 'latest']),
    logs: (await logs()).length,
  }

  // after the snapshot: a transfer, a token transfer (a log), time travel and empty blocks
  const r1 = await sendAndWait(url, { from: dev0, to: dev1, value: hex(parseEther('1')) })
  const r2 = await sendAndWait(url, { from: dev0, to: token, data: bytesToHex(tokenTransferData(createAddressFromString(dev1), 5n)) })
  await call(url, 'evm_increaseTime', [3_600])
  await call(url, 'evm_mine')
  t.equal(await call(url, 'evm_snapshot'), '0x2')
  await call(url, 'evm_mine')
  const top = await latest(url)
  t.equal(top.number, base.head.number + 4n, 'four blocks since the snapshot')
  t.equal((await logs()).length, base.logs + 1, 'the token transfer logged')
  const removed = await Promise.all(
    [1n, 2n, 3n, 4n].map(async (i) => (await call(url, 'eth_getBlockByNumber', [hex(base.head.number + i), false])).hash as string),
  )

  // a block filter and a newHeads subscription made before the revert
  const filter = await call(url, 'eth_newBlockFilter')
  const ws = await WsClient.connect(url.replace('http://', 'ws://'))
  t.teardown(() => ws.close())
  t.equal(typeof (await ws.call('eth_subscribe', ['newHeads'])).result, 'string')

  t.equal(await call(url, 'evm_revert', [snap]), true)
  t.same(await latest(url), base.head, 'the head block is the snapshot head')
  t.equal(await call(url, 'eth_blockNumber'), hex(base.head.number))
  t.equal(await call(url, 'eth_getBalance', [dev0, 'latest']), base.balance0, 'sender balance back')
  t.equal(await call(url, 'eth_getBalance', [dev1, 'latest']), base.balance1, 'recipient balance back')
  t.equal(await call(url, 'eth_getTransactionCount', [dev0, 'latest']), base.nonce0, 'nonce back')
  for (const r of [r1, r2]) {
    t.equal(await call(url, 'eth_getTransactionReceipt', [r.transactionHash]), null, `receipt of ${r.transactionHash} gone`)
    t.equal(await call(url, 'eth_getTransactionByHash', [r.transactionHash]), null, `tx ${r.transactionHash} dropped, not pooled`)
  }
  for (const [i, hash] of removed.entries()) {
    const n = hex(base.head.number + BigInt(i) + 1n)
    t.equal(await call(url, 'eth_getBlockByNumber', [n, false]), null, `block ${n} gone by number`)
    t.equal(await call(url, 'eth_getBlockByHash', [hash, false]), null, `block ${n} gone by hash`)
  }
  t.equal((await logs()).length, base.logs, 'its log is gone from eth_getLogs')
  t.same(await call(url, 'txpool_status'), { pending: '0x0', queued: '0x0' }, 'the pool holds nothing of the removed blocks')

  t.equal(await call(url, 'evm_revert', [snap]), false, 'the same id again: false')
  t.equal(await call(url, 'evm_revert', ['0x2']), false, 'a later snapshot was used up with it')
  t.equal(await call(url, 'evm_revert', ['0x7']), false, 'unknown id')

  // the chain goes on from the snapshot: the old nonce, the old clock, reported as a normal new head
  const r3 = await sendAndWait(url, { from: dev0, to: dev1, value: '0x2' })
  t.equal(r3.blockNumber, hex(base.head.number + 1n), 'the next block takes the first removed number')
  t.equal((await call(url, 'eth_getTransactionByHash', [r3.transactionHash])).nonce, base.nonce0, 'with the nonce the snapshot had')
  const b3 = await latest(url)
  t.ok(b3.timestamp > base.head.timestamp && b3.timestamp < base.head.timestamp + 3_600n, 'the hour of evm_increaseTime was reverted too')
  t.same(await call(url, 'eth_getFilterChanges', [filter]), [r3.blockHash], 'the block filter reports the new head')
  await ws.waitFor(1)
  t.match(ws.notifications.at(-1)?.result, { hash: r3.blockHash, number: r3.blockNumber }, 'newHeads reports it')
  const r4 = await sendAndWait(url, { from: dev0, to: token, data: bytesToHex(tokenTransferData(createAddressFromString(dev1), 7n)) })
  t.equal((await logs()).length, base.logs + 1, 'new logs after the revert are indexed')
  t.equal(r4.logs.length, 1)
})

t.test('anvil_setBalance / hardhat_setBalance: visible at latest at once, spendable, and durable across a restart', async (t) => {
  const dataDir = await tempDir(t)
  let h = await startNodeHarness({ sequencer: true, dataDir })
  t.teardown(() => h.close())
  const before = await latest(h.url)
  t.equal(await call(h.url, 'anvil_setBalance', [FRESH, hex(parseEther('1000'))]), null)
  t.equal(await call(h.url, 'eth_getBalance', [FRESH, 'latest']), hex(parseEther('1000')), 'the next eth_getBalance at latest shows it')
  const block = await latest(h.url)
  t.equal(block.number, before.number + 1n, 'mined as one block of its own')
  t.same(block.transactions, [], 'with no txs')
  t.equal(block.extraData, bytesToHex(utf8ToBytes('openledger dev: setBalance')), 'marked in its extraData')
  t.equal(await call(h.url, 'eth_getBalance', [FRESH, hex(before.number)]), '0x0', 'the block before still has the old state')

  t.equal(await call(h.url, 'hardhat_setBalance', [dev1, hex(parseEther('1'))]), true)
  t.equal(await call(h.url, 'eth_getBalance', [dev1, 'latest']), hex(parseEther('1')))
  const tooMuch = await rpcAt(h.url, 'eth_sendTransaction', [{ from: dev1, to: dev0, value: hex(parseEther('2')) }])
  t.match(tooMuch.error?.message, /insufficient funds/, 'the pool checks txs against the new balance')
  const spent = await sendAndWait(h.url, { from: dev1, to: FRESH, value: hex(parseEther('0.5')) })
  t.equal(spent.status, '0x1', 'the set balance is spendable')
  t.equal(await call(h.url, 'hardhat_setBalance', [`0x${'43'.repeat(20)}`, '0x0']), true, '0 on an unknown account')
  const head = await latest(h.url)

  await h.close()
  h = await startNodeHarness({ sequencer: true, dataDir })
  t.same(await latest(h.url), head, 'the reopened datadir resumes at the same head')
  t.equal(await call(h.url, 'eth_getBalance', [FRESH, 'latest']), hex(parseEther('1000.5')), 'the set balance (plus the transfer) survived the restart')
  t.ok(BigInt(await call(h.url, 'eth_getBalance', [dev1, 'latest'])) < parseEther('0.5'), 'so did the lowered one')
})

t.test("viem's test client (mode anvil) works unchanged: snapshot, setBalance, increaseTime, setNextBlockTimestamp, revert", async (t) => {
  const h = await harness(t)
  const client = createTestClient({ mode: 'anvil', transport: http(h.url), cacheTime: 0 }).extend(publicActions)
  const start = await client.getBlock()
  const id = await client.snapshot()
  t.equal(id, '0x1')
  await client.setBalance({ address: FRESH, value: parseEther('5') })
  t.equal(await client.getBalance({ address: FRESH }), parseEther('5'))
  await client.increaseTime({ seconds: 86_400 })
  await call(h.url, 'evm_mine')
  const later = await client.getBlock()
  t.ok(later.timestamp - start.timestamp >= 86_400n, 'a day later')
  const exact = later.timestamp + 100n
  await client.setNextBlockTimestamp({ timestamp: exact })
  await call(h.url, 'evm_mine')
  t.equal((await client.getBlock()).timestamp, exact)
  await client.revert({ id })
  t.equal(await client.getBalance({ address: FRESH }), 0n, 'balance reverted')
  t.equal(await client.getBlockNumber(), start.number, 'head reverted')
  t.equal((await client.getBlock()).hash, start.hash)
})

t.test('createNode wires the controls on a --dev sequencer only; a restarted node keeps the balances', async (t) => {
  const datadir = await tempDir(t)
  const quiet = {
    logger: createLogger({ level: 'silent', destination: { write: (): void => {} } }),
    rpcPort: 0,
    datadir,
    rpcCallWorkers: 0,
    p2pAddr: '127.0.0.1',
    p2pPort: 0,
  }
  let node = await createNode({ ...quiet, dev: true, blockTime: 0 })
  t.teardown(() => node.close())
  node.start()
  t.equal(await call(node.rpcUrl, 'evm_increaseTime', [60]), 60)
  t.equal(await call(node.rpcUrl, 'evm_snapshot'), '0x1')
  t.equal(await call(node.rpcUrl, 'anvil_setBalance', [FRESH, '0x2a']), null)
  t.equal(await call(node.rpcUrl, 'eth_getBalance', [FRESH, 'latest']), '0x2a')
  const metricsHead = async (): Promise<string | undefined> =>
    /^openledger_chain_head_number (\d+)$/m.exec(await (await fetch(`${node.rpcUrl}/metrics`)).text())?.[1]
  t.equal(await metricsHead(), '1')
  t.equal(await call(node.rpcUrl, 'evm_revert', ['0x1']), true)
  t.equal(await metricsHead(), '0', 'the head gauge follows a revert')
  t.equal(await call(node.rpcUrl, 'anvil_setBalance', [FRESH, '0x2b']), null)
  await node.close()

  node = await createNode({ ...quiet, dev: true, blockTime: 0 })
  t.equal(await call(node.rpcUrl, 'eth_getBalance', [FRESH, 'latest']), '0x2b', 'the balance survived the restart')
  t.equal(await call(node.rpcUrl, 'evm_revert', ['0x1']), false, 'snapshots live in memory: gone after a restart')
  await node.close()

  node = await createNode({ ...quiet, dev: false })
  t.equal(node.sequencer, undefined)
  for (const method of ['evm_increaseTime', 'evm_snapshot', 'anvil_setBalance']) {
    t.equal(
      (await rpcAt(node.rpcUrl, method, method === 'anvil_setBalance' ? [FRESH, '0x1'] : method === 'evm_snapshot' ? [] : [1])).error?.code,
      -32601,
      `${method} without --dev`,
    )
  }
})
