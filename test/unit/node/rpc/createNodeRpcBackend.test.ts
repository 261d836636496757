// The node/rpc backend on a real chain (LevelDB in a temp dir) and txpool, blocks built by hand:
// simulated calls, estimateGas exactness, traces, proofs and the head cache, without a child process.
import { createBlock } from '@ethereumjs/block'
import { equalsBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import t from 'tap'
import { Interface, getAddress, verifyMessage } from 'ethers'
import { pino } from 'pino'
import { DEV_ACCOUNTS, toChecksumAddress } from '../../../../genesis/index.ts'
import type { Chain } from '../../../../node/chain/index.ts'
import { createNodeRpcBackend } from '../../../../node/rpc/index.ts'
import { createRpcServer, RPC_ERROR, toHex } from '../../../../rpc/index.ts'
import { MODULE_ADDRESSES } from '../../../../runtime/index.ts'
import { PROBE } from '../../../fixtures/contracts/contracts.ts'
import { rpcAt, startNodeHarness } from '../../../fixtures/rpc/nodeHarness.ts'
import { call as callOp, code, delegatecall, log, push1, returnWord, revert, staticcall, STOP, word } from '../../../fixtures/rpc/bytecode.ts'

const node = await startNodeHarness()
t.teardown(() => node.close())
const { chain, txpool, rpc, mine, send } = node
const logger = pino({ level: 'silent' })

const dev0 = DEV_ACCOUNTS[0]!.address.toLowerCase()
const dev1 = DEV_ACCOUNTS[1]!.address.toLowerCase()
const probeAbi = new Interface(PROBE.abi as never)
const deployed = await send({ from: dev0, data: PROBE.bytecode })
const probe = deployed.contractAddress as string
const other = (await send({ from: dev0, data: PROBE.bytecode })).contractAddress as string

t.test('deploy via dev eth_sendTransaction', async (t) => {
  t.equal(deployed.status, '0x1')
  t.match(probe, /^0x[0-9a-f]{40}$/)
  t.ok(((await rpc('eth_getCode', [probe, 'latest'])).result as string).length > 100)
})

t.test('head cache follows new blocks', async (t) => {
  const before = BigInt((await rpc('eth_getBalance', [dev1, 'latest'])).result)
  await send({ from: dev0, to: dev1, value: '0x7' })
  const after = BigInt((await rpc('eth_getBalance', [dev1, 'latest'])).result)
  t.equal(after - before, 7n)
  const n = BigInt((await rpc('eth_blockNumber')).result)
  t.equal(BigInt((await rpc('eth_getBalance', [dev1, '0x' + (n - 1n).toString(16)])).result), before)
})

t.test('eth_call: results, reverts (reason and custom error), geth pre-check wording', async (t) => {
  await send({ from: dev0, to: probe, data: probeAbi.encodeFunctionData('bump') })
  t.equal(BigInt((await rpc('eth_call', [{ to: probe, data: probeAbi.encodeFunctionData('counter') }, 'latest'])).result), 1n)
  t.equal(BigInt((await rpc('eth_getStorageAt', [probe, '0x0', 'latest'])).result), 1n)
  const fail = await rpc('eth_call', [{ to: probe, data: probeAbi.encodeFunctionData('fail', ['nope']) }, 'latest'])
  t.equal(fail.error!.code, 3)
  t.equal(fail.error!.message, 'execution reverted: nope')
  const deny = await rpc('eth_call', [{ from: dev1, to: probe, data: probeAbi.encodeFunctionData('deny', [7]) }, 'latest'])
  t.equal(deny.error!.code, 3)
  t.equal(deny.error!.message, 'execution reverted')
  t.equal(probeAbi.parseError(deny.error!.data!)!.name, 'Denied')
  const low = await rpc('eth_call', [{ to: probe, gas: '0x1' }, 'latest'])
  t.same(low.error, { code: -32000, message: 'intrinsic gas too low: have 1, want 21000' })
  const cheap = await rpc('eth_call', [{ from: dev0, to: probe, maxFeePerGas: '0x1' }, 'latest'])
  t.match(cheap.error!.message, /^max fee per gas less than block base fee: address 0x/)
  // nothing leaked into the shared head VM: the counter is still 1
  t.equal(BigInt((await rpc('eth_call', [{ to: probe, data: probeAbi.encodeFunctionData('counter') }, 'latest'])).result), 1n)
  t.equal(BigInt((await rpc('eth_call', [{ to: probe, data: probeAbi.encodeFunctionData('bump') }, 'latest'])).result), 2n)
  t.equal(BigInt((await rpc('eth_call', [{ to: probe, data: probeAbi.encodeFunctionData('bump') }, 'latest'])).result), 2n)
})

t.test('eth_call and eth_estimateGas honour the sender balance (geth buyGas / gasestimator)', async (t) => {
  const q = (n: bigint): string => '0x' + n.toString(16)
  const poor = '0x' + '5a'.repeat(20)
  const baseFee = BigInt((await rpc('eth_getBlockByNumber', ['latest', false])).result.baseFeePerGas)
  const price = baseFee * 2n
  // no fee fields: the gas price is 0, so only the value needs funds
  t.equal((await rpc('eth_call', [{ from: poor, to: dev1 }, 'latest'])).result, '0x', 'no value, no fees: no funds needed')
  const value = await rpc('eth_call', [{ from: poor, to: dev1, value: '0x1' }, 'latest'])
  t.same(value.error, { code: -32000, message: `insufficient funds for gas * price + value: address ${getAddress(poor)} have 0 want 1` })
  const priced = await rpc('eth_call', [{ from: poor, to: dev1, gas: '0x5208', maxFeePerGas: q(price) }, 'latest'])
  t.same(priced.error, { code: -32000, message: `insufficient funds for gas * price + value: address ${getAddress(poor)} have 0 want ${21_000n * price}` })
  const legacy = await rpc('eth_call', [{ from: poor, to: dev1, gas: '0x5208', gasPrice: q(price), value: '0x2' }, 'latest'])
  t.same(legacy.error, { code: -32000, message: `insufficient funds for gas * price + value: address ${getAddress(poor)} have 0 want ${21_000n * price + 2n}` })
  const tip = await rpc('eth_call', [{ from: dev0, to: dev1, maxFeePerGas: q(price), maxPriorityFeePerGas: q(price + 1n) }, 'latest'])
  t.same(tip.error, {
    code: -32000,
    message: `max priority fee per gas higher than max fee per gas: address ${getAddress(dev0)}, maxPriorityFeePerGas: ${price + 1n}, maxFeePerGas: ${price}`,
  })
  // an overridden balance counts, to the wei
  const exact = { [poor]: { balance: q(21_000n * price + 1n) } }
  t.equal((await rpc('eth_call', [{ from: poor, to: dev1, gas: '0x5208', maxFeePerGas: q(price), value: '0x1' }, 'latest', exact])).result, '0x')
  const short = await rpc('eth_call', [{ from: poor, to: dev1, gas: '0x5208', maxFeePerGas: q(price), value: '0x2' }, 'latest', exact])
  t.match(short.error!.message, /^insufficient funds for gas \* price \+ value: /)

  // estimateGas: with a fee cap, a value the sender cannot cover fails at once
  const noFunds = await rpc('eth_estimateGas', [{ from: poor, to: dev1, value: '0x1', maxFeePerGas: q(price) }])
  t.same(noFunds.error, { code: -32000, message: 'insufficient funds for transfer' })
  const noFee = await rpc('eth_estimateGas', [{ from: poor, to: dev1, value: '0x5' }])
  t.same(noFee.error, { code: -32000, message: `insufficient funds for gas * price + value: address ${getAddress(poor)} have 0 want 5` })
  // the fee cap limits the gas to what the (overridden) balance buys
  const budget = { [poor]: { balance: q(30_000n * price) } }
  t.equal((await rpc('eth_estimateGas', [{ from: poor, to: dev1, maxFeePerGas: q(price) }, 'latest', budget])).result, '0x5208')
  const burn = probeAbi.encodeFunctionData('burn', [4n])
  const capped = await rpc('eth_estimateGas', [{ from: poor, to: probe, data: burn, maxFeePerGas: q(price) }, 'latest', budget])
  t.same(capped.error, { code: -32000, message: 'gas required exceeds allowance (30000)' })
  const ample = { [poor]: { balance: q(10n ** 18n) } }
  t.ok(BigInt((await rpc('eth_estimateGas', [{ from: poor, to: probe, data: burn, maxFeePerGas: q(price) }, 'latest', ample])).result) > 30_000n)
})

t.test('estimateGas is the exact minimum', async (t) => {
  for (const n of [1n, 4n]) {
    const data = probeAbi.encodeFunctionData('burn', [n])
    const est = BigInt((await rpc('eth_estimateGas', [{ from: dev0, to: probe, data }])).result)
    const at = await rpc('eth_call', [{ from: dev0, to: probe, data, gas: '0x' + est.toString(16) }, 'latest'])
    t.equal(at.error, undefined, `burn(${n}) succeeds with ${est}`)
    const below = await rpc('eth_call', [{ from: dev0, to: probe, data, gas: '0x' + (est - 1n).toString(16) }, 'latest'])
    t.ok(below.error !== undefined, `burn(${n}) fails with ${est - 1n}`)
  }
  t.equal((await rpc('eth_estimateGas', [{ from: dev0, to: dev1, value: '0x1' }])).result, '0x5208')
})

t.test('an estimate without a block is for the next block: back-to-back GOPEN wraps get the gas they need', async (t) => {
  // every wrap writes GOPEN's total-supply checkpoint, keyed by the block's second: rewritten in
  // the head's own second (what an estimate in the head's environment saw), pushed anew in the next
  // block's, which costs more; the estimate must be the next block's or the tx runs out of gas
  const deposit = { to: MODULE_ADDRESSES.gopen, data: '0xd0e30db0', value: '0xde0b6b3a7640000' }
  t.equal((await send({ from: dev0, ...deposit })).status, '0x1', 'a first wrap, in the head block')
  const estimate = (await rpc('eth_estimateGas', [{ from: dev1, ...deposit }])).result as string
  const inHead = BigInt((await rpc('eth_estimateGas', [{ from: dev1, ...deposit }, 'latest'])).result)
  t.ok(BigInt(estimate) > inHead, `the next block's estimate (${BigInt(estimate)}) exceeds the head's (${inHead})`)
  const receipt = await send({ from: dev1, ...deposit, gas: estimate })
  t.equal(receipt.status, '0x1', `a wrap with the estimate (${BigInt(estimate)}) succeeds in the next block`)
  t.equal((await send({ from: dev0, ...deposit })).status, '0x1', "eth_sendTransaction's own estimate too")
})

t.test('callTracer: nested calls, CREATE, revert reasons', async (t) => {
  const r = await send({ from: dev0, to: probe, data: probeAbi.encodeFunctionData('callBump', [other]) })
  const trace = (await rpc('debug_traceTransaction', [r.transactionHash, { tracer: 'callTracer' }])).result
  t.equal(trace.type, 'CALL')
  t.equal(trace.from, dev0)
  t.equal(BigInt(trace.gasUsed), BigInt(r.gasUsed))
  t.equal(trace.calls.length, 1)
  t.equal(trace.calls[0].type, 'CALL')
  t.equal(trace.calls[0].to, other)
  const create = (await rpc('debug_traceCall', [{ from: dev0, data: PROBE.bytecode }, 'latest', { tracer: 'callTracer' }])).result
  t.equal(create.type, 'CREATE')
  t.match(create.to, /^0x[0-9a-f]{40}$/)
  const failing = (
    await rpc('debug_traceCall', [{ from: dev0, to: probe, data: probeAbi.encodeFunctionData('callFail', [other]) }, 'latest', { tracer: 'callTracer' }])
  ).result
  t.equal(failing.error, 'execution reverted')
  t.equal(failing.calls[0].type, 'STATICCALL')
  t.equal(failing.calls[0].revertReason, 'inner failure')
})

t.test('callTracer labels frames by the opcode executed: a static A -> B -> C chain', async (t) => {
  const [A, B, C] = ['0x' + 'a1'.repeat(20), '0x' + 'b1'.repeat(20), '0x' + 'c1'.repeat(20)]
  const stateOverrides = {
    [A]: { code: code(staticcall(B), STOP) },
    // B runs in a static frame: a STATICCALL, a CALL without value and a DELEGATECALL, each to C
    [B]: { code: code(staticcall(C), callOp(C), delegatecall(C), STOP) },
    [C]: { code: code(returnWord(42)) },
  }
  const trace = (await rpc('debug_traceCall', [{ from: dev0, to: A }, 'latest', { tracer: 'callTracer', stateOverrides }])).result
  t.equal(trace.type, 'CALL')
  t.equal(trace.to, A)
  t.equal(trace.calls.length, 1)
  const b = trace.calls[0]
  t.same([b.type, b.from, b.to, 'value' in b], ['STATICCALL', A, B, false], 'A -> B is a STATICCALL without value')
  t.same(
    b.calls.map((f: Record<string, string>) => [f.type, f.from, f.to, f.value, f.output]),
    [
      ['STATICCALL', B, C, undefined, word(42)],
      ['CALL', B, C, '0x0', word(42)],
      ['DELEGATECALL', B, C, '0x0', word(42)],
    ],
    "B -> C: STATICCALL from a static frame is a STATICCALL; CALL stays CALL with value 0x0; DELEGATECALL runs C's code for B",
  )
})

t.test('callTracer withLog: logs per frame with index and position; failed frames lose theirs', async (t) => {
  const [L, M, R] = ['0x' + 'd1'.repeat(20), '0x' + 'e1'.repeat(20), '0x' + 'f1'.repeat(20)]
  const [t1, t2, t3, t4] = [1, 2, 3, 4].map((n) => '0x' + String(n).repeat(64))
  const stateOverrides = {
    [L]: { code: code(log(1, [t1!]), callOp(M), log(2), callOp(R), STOP) },
    [M]: { code: code(log(3, [t2!, t3!]), STOP) },
    [R]: { code: code(log(4, [t4!]), revert()) },
  }
  const traceWith = async (tracerConfig: Record<string, boolean>) =>
    (await rpc('debug_traceCall', [{ from: dev0, to: L }, 'latest', { tracer: 'callTracer', tracerConfig, stateOverrides }])).result
  const full = await traceWith({ withLog: true })
  t.same(full.logs, [
    { address: L, topics: [t1], data: word(1), index: '0x0', position: '0x0' },
    { address: L, topics: [], data: word(2), index: '0x2', position: '0x1' },
  ])
  t.same(full.calls[0].logs, [{ address: M, topics: [t2, t3], data: word(3), index: '0x1', position: '0x0' }])
  t.equal(full.calls[1].error, 'execution reverted')
  t.notOk('logs' in full.calls[1], 'a reverted frame keeps no logs')
  const plain = await traceWith({})
  t.notOk('logs' in plain || 'logs' in plain.calls[0], 'no logs without withLog')
  const top = await traceWith({ withLog: true, onlyTopCall: true })
  t.notOk('calls' in top)
  t.same(
    top.logs.map((l: Record<string, string>) => [l.index, l.position]),
    [
      ['0x0', '0x0'],
      ['0x2', '0x0'],
    ],
    'onlyTopCall: geth counts no sub-calls',
  )

  // a mined tx: the inner frame's Bumped event, indexed within its block
  const r = await send({ from: dev0, to: probe, data: probeAbi.encodeFunctionData('callBump', [other]) })
  const mined = (await rpc('debug_traceTransaction', [r.transactionHash, { tracer: 'callTracer', tracerConfig: { withLog: true } }])).result
  t.notOk('logs' in mined)
  t.equal(mined.calls[0].logs.length, 1)
  t.same(mined.calls[0].logs[0], { address: other, topics: r.logs[0].topics, data: r.logs[0].data, index: r.logs[0].logIndex, position: '0x0' })
})

t.test('eth_getProof hashes to the state root; access lists', async (t) => {
  const head = (await rpc('eth_getBlockByNumber', ['latest', false])).result
  const proof = (await rpc('eth_getProof', [probe, ['0x0'], 'latest'])).result
  const rootNode = Buffer.from((proof.accountProof[0] as string).slice(2), 'hex')
  t.equal('0x' + Buffer.from(keccak_256(rootNode)).toString('hex'), head.stateRoot)
  t.equal(BigInt(proof.storageProof[0].value), 1n)
  const al = (await rpc('eth_createAccessList', [{ from: dev0, to: probe, data: probeAbi.encodeFunctionData('bump') }, 'latest'])).result
  t.equal(al.accessList.length, 1)
  t.equal(al.accessList[0].address, probe)
  t.same(al.accessList[0].storageKeys, ['0x' + '00'.repeat(32)])
})

t.test('block hash params: plain hash strings; a block off the canonical chain reads its own state root', async (t) => {
  const counter = probeAbi.encodeFunctionData('counter')
  const parent = chain.head()
  await send({ from: dev0, to: probe, data: probeAbi.encodeFunctionData('bump') })
  const head = chain.head()
  const headHash = toHex(head.hash())
  const parentHash = toHex(parent.hash())
  const atParent = BigInt((await rpc('eth_call', [{ to: probe, data: counter }, parentHash])).result)
  t.equal(BigInt((await rpc('eth_call', [{ to: probe, data: counter }, headHash])).result), atParent + 1n, 'a plain canonical hash reads that block')
  t.equal(BigInt((await rpc('eth_getStorageAt', [probe, '0x0', parentHash])).result), atParent)

  // a sibling of the head that did not include the bump: same height, the parent's state root
  const side = createBlock(
    { header: { ...head.header.toJSON(), extraData: '0x51de', stateRoot: parent.header.stateRoot } },
    { common: chain.common, skipConsensusFormatValidation: true },
  )
  const sideHash = toHex(side.hash())
  const sideChain = new Proxy(chain, {
    get(target, prop) {
      if (prop === 'getBlockByHash') return async (h: Uint8Array) => (equalsBytes(h, side.hash()) ? side : target.getBlockByHash(h))
      const v = Reflect.get(target, prop, target) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  }) as Chain
  const sideBackend = createNodeRpcBackend({ chain: sideChain, txpool, logger })
  const sideServer = await createRpcServer({ backend: sideBackend, port: 0, logger })
  t.teardown(async () => {
    await sideServer.close()
    sideBackend.close()
  })
  const sideUrl = `http://127.0.0.1:${sideServer.port}`
  const nonceAtParent = BigInt((await rpc('eth_getTransactionCount', [dev0, parentHash])).result)
  for (const param of [sideHash, { blockHash: sideHash }, { blockHash: sideHash, requireCanonical: false }]) {
    const what = JSON.stringify(param)
    t.equal(BigInt((await rpcAt(sideUrl, 'eth_call', [{ to: probe, data: counter }, param])).result), atParent, `eth_call on the side block's state: ${what}`)
    t.equal(BigInt((await rpcAt(sideUrl, 'eth_getStorageAt', [probe, '0x0', param])).result), atParent, `eth_getStorageAt: ${what}`)
    t.equal(BigInt((await rpcAt(sideUrl, 'eth_getTransactionCount', [dev0, param])).result), nonceAtParent, `eth_getTransactionCount: ${what}`)
  }
  const proof = (await rpcAt(sideUrl, 'eth_getProof', [probe, ['0x0'], sideHash])).result
  t.equal(
    '0x' + Buffer.from(keccak_256(Buffer.from((proof.accountProof[0] as string).slice(2), 'hex'))).toString('hex'),
    toHex(parent.header.stateRoot),
    'proof against the side state root',
  )
  const strict = await rpcAt(sideUrl, 'eth_getBalance', [dev0, { blockHash: sideHash, requireCanonical: true }])
  t.same(strict.error, { code: -32000, message: 'hash is not currently canonical' })
})

t.test('log queries stop at the result limit and at the deadline instead of scanning the whole range', async (t) => {
  const first = chain.head().header.number + 1n
  for (let i = 0; i < 20; i++) await send({ from: dev0, to: probe, data: probeAbi.encodeFunctionData('bump') })
  const last = chain.head().header.number
  const scanned: [bigint, bigint][] = []
  const spied = new Proxy(chain, {
    get(target, prop) {
      if (prop === 'getLogs') {
        return (f: { fromBlock: bigint; toBlock: bigint }) => {
          scanned.push([f.fromBlock, f.toBlock])
          return target.getLogs(f as never)
        }
      }
      const v = Reflect.get(target, prop, target) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  }) as Chain
  const spiedBackend = createNodeRpcBackend({ chain: spied, txpool, logger })
  const limits = { ...(await import('../../../../rpc/index.ts')).defaultRpcServerOptions.limits, maxLogsResults: 2 }
  const spiedServer = await createRpcServer({ backend: spiedBackend, port: 0, logger, limits })
  t.teardown(async () => {
    await spiedServer.close()
    spiedBackend.close()
  })
  const at = `http://127.0.0.1:${spiedServer.port}`
  const filter = { fromBlock: '0x' + first.toString(16), toBlock: 'latest', address: probe }
  const capped = await rpcAt(at, 'eth_getLogs', [filter])
  t.same(capped.error, { code: -32005, message: 'query returned more than 2 results' })
  t.ok(
    scanned.length > 0 && scanned.every(([, to]) => to < last),
    `stopped before the end of the range (scanned ${JSON.stringify(scanned.map(([a, b]) => `${a}-${b}`))}, last ${last})`,
  )

  // the whole range when the limit allows it: every bump, in block order
  scanned.length = 0
  const all = await spiedBackend.getLogs(
    { fromBlock: first, toBlock: last, addresses: [Buffer.from(probe.slice(2), 'hex')] },
    { maxResults: 100, deadline: Date.now() + 60_000 },
  )
  t.equal(all.length, 20)
  t.same(
    all.map((l) => l.blockNumber),
    Array.from({ length: 20 }, (_, i) => first + BigInt(i)),
  )
  t.ok(scanned.length > 1, 'in chunks')
  for (const l of all) {
    const header = await chain.getHeaderByHash(l.blockHash)
    t.equal(l.blockTimestamp, header?.timestamp, `block ${l.blockNumber}: the log carries its block's timestamp, with no header read by the backend`)
  }

  // a deadline already gone: abandoned after the first chunk
  scanned.length = 0
  await t.rejects(spiedBackend.getLogs({ fromBlock: first, toBlock: last }, { maxResults: 100, deadline: Date.now() - 1 }), { code: RPC_ERROR.TIMEOUT })
  t.equal(scanned.length, 1, 'one chunk read, the rest abandoned')
})

t.test('blocks and txs by position: getTransactionByBlock*AndIndex, getBlockTransactionCountBy*, getBlockReceipts', async (t) => {
  const r = await send({ from: dev0, to: dev1, value: '0x3' })
  const byHash = (await rpc('eth_getTransactionByHash', [r.transactionHash])).result
  t.same((await rpc('eth_getTransactionByBlockHashAndIndex', [r.blockHash, r.transactionIndex])).result, byHash)
  t.same((await rpc('eth_getTransactionByBlockNumberAndIndex', [r.blockNumber, r.transactionIndex])).result, byHash)
  t.same((await rpc('eth_getTransactionByBlockNumberAndIndex', ['latest', '0x0'])).result, byHash)
  t.equal((await rpc('eth_getTransactionByBlockHashAndIndex', [r.blockHash, '0x1'])).result, null, 'index past the end')
  t.equal((await rpc('eth_getTransactionByBlockHashAndIndex', ['0x' + '00'.repeat(32), '0x0'])).result, null, 'unknown block')
  t.equal((await rpc('eth_getTransactionByBlockNumberAndIndex', ['0xffffff', '0x0'])).result, null, 'future block')
  t.equal((await rpc('eth_getBlockTransactionCountByHash', [r.blockHash])).result, '0x1')
  t.equal((await rpc('eth_getBlockTransactionCountByNumber', [r.blockNumber])).result, '0x1')
  t.equal((await rpc('eth_getBlockTransactionCountByNumber', ['0x0'])).result, '0x0', 'genesis has none')
  t.equal((await rpc('eth_getBlockTransactionCountByHash', ['0x' + '00'.repeat(32)])).result, null)
  t.equal((await rpc('eth_getBlockTransactionCountByNumber', ['0xffffff'])).result, null)
  const receipts = (await rpc('eth_getBlockReceipts', [r.blockNumber])).result
  t.same(receipts, [r], 'by number: the receipts eth_getTransactionReceipt gives')
  t.same((await rpc('eth_getBlockReceipts', [r.blockHash])).result, receipts, 'by plain hash')
  t.same((await rpc('eth_getBlockReceipts', [{ blockHash: r.blockHash, requireCanonical: true }])).result, receipts, 'by EIP-1898 hash')
  t.same((await rpc('eth_getBlockReceipts', ['latest'])).result, receipts)
  t.same((await rpc('eth_getBlockReceipts', ['0x0'])).result, [])
  t.equal((await rpc('eth_getBlockReceipts', ['0xffffff'])).result, null)
})

t.test('txpool_content / txpool_inspect on the real pool; eth_newPendingTransactionFilter', async (t) => {
  const filter = (await rpc('eth_newPendingTransactionFilter')).result as string
  const nonce = BigInt((await rpc('eth_getTransactionCount', [dev0, 'pending'])).result)
  const q = (n: bigint): string => '0x' + n.toString(16)
  // one nonce ahead: queued until the gap is filled
  const later = (await rpc('eth_sendTransaction', [{ from: dev0, to: dev1, value: '0x5', nonce: q(nonce + 1n) }])).result as string
  const now = (await rpc('eth_sendTransaction', [{ from: dev0, to: probe, value: '0x0', data: probeAbi.encodeFunctionData('bump') }])).result as string
  await txpool.idle()
  const Dev0 = toChecksumAddress(dev0)
  const content = (await rpc('txpool_content')).result
  const pooled = { ...content.pending[Dev0], ...content.queued[Dev0] }
  t.same(Object.keys(pooled).sort(), [nonce.toString(), (nonce + 1n).toString()], 'sender (EIP-55) -> decimal nonce')
  t.equal(pooled[nonce.toString()].hash, now)
  t.equal(pooled[(nonce + 1n).toString()].hash, later)
  t.equal(pooled[nonce.toString()].blockHash, null)
  t.same(await rpc('txpool_status').then((a) => BigInt(a.result.pending) + BigInt(a.result.queued)), 2n)
  const inspect = (await rpc('txpool_inspect')).result
  const lines = { ...inspect.pending[Dev0], ...inspect.queued[Dev0] }
  const fee = BigInt(pooled[nonce.toString()].maxFeePerGas)
  t.match(lines[(nonce + 1n).toString()], new RegExp(`^${toChecksumAddress(dev1)}: 5 wei \\+ 21000 gas × \\d+ wei$`), 'recipient EIP-55, as geth')
  t.match(lines[nonce.toString()], new RegExp(`^${toChecksumAddress(probe)}: 0 wei \\+ \\d+ gas × ${fee} wei$`))
  const changes = (await rpc('eth_getFilterChanges', [filter])).result as string[]
  t.ok(changes.includes(now), 'the pending filter saw the tx')
  await mine()
  t.same((await rpc('txpool_content')).result, { pending: {}, queued: {} }, 'both mined')
  t.ok((await rpc('eth_getTransactionReceipt', [later])).result !== null)
  t.same((await rpc('eth_getFilterChanges', [filter])).result, [], 'drained')
})

t.test('eth_getFilterLogs: all logs matching an installed filter, as eth_getLogs', async (t) => {
  const from = chain.head().header.number + 1n
  const criteria = { address: probe, fromBlock: '0x' + from.toString(16) }
  const id = (await rpc('eth_newFilter', [criteria])).result as string
  await send({ from: dev0, to: probe, data: probeAbi.encodeFunctionData('bump') })
  await send({ from: dev0, to: probe, data: probeAbi.encodeFunctionData('bump') })
  const logs = (await rpc('eth_getFilterLogs', [id])).result
  t.equal(logs.length, 2)
  t.same(logs, (await rpc('eth_getLogs', [criteria])).result)
  t.same(
    logs.map((l: { topics: string[] }) => l.topics[0]),
    [probeAbi.getEvent('Bumped')!.topicHash, probeAbi.getEvent('Bumped')!.topicHash],
  )
  t.same((await rpc('eth_getFilterChanges', [id])).result, logs, 'the same two arrived as changes')
  t.same((await rpc('eth_getFilterLogs', ['0x' + '12'.repeat(16)])).error, { code: -32000, message: 'filter not found' })
})

t.test('eth_sign: an EIP-191 signature by the dev account', async (t) => {
  const sig = (await rpc('eth_sign', [dev0, '0x68656c6c6f'])).result as string
  t.equal(verifyMessage('hello', sig).toLowerCase(), dev0)
  t.same((await rpc('eth_sign', ['0x' + '12'.repeat(20), '0x00'])).error, { code: -32000, message: 'unknown account' })
})

t.test('state overrides: code replaces the code, state replaces all storage, stateDiff patches', async (t) => {
  const counter = probeAbi.encodeFunctionData('counter')
  const now = BigInt((await rpc('eth_call', [{ to: probe, data: counter }, 'latest'])).result)
  t.ok(now > 0n)
  const withCode = await rpc('eth_call', [{ to: probe, data: counter }, 'latest', { [probe]: { code: code(returnWord(42)) } }])
  t.equal(withCode.result, word(42), 'code override')
  const fresh = '0x' + '77'.repeat(20)
  t.equal((await rpc('eth_call', [{ to: fresh }, 'latest', { [fresh]: { code: code(returnWord(7)) } }])).result, word(7), 'code on an empty account')
  const replaced = await rpc('eth_call', [{ to: probe, data: counter }, 'latest', { [probe]: { state: { '0x5': '0x1' } } }])
  t.equal(BigInt(replaced.result), 0n, 'state: every slot not named is cleared (the counter too)')
  const slot5 = code(push1(5) + '54' + push1(0) + '52' + push1(32) + push1(0) + 'f3') // SLOAD(5) -> return
  const read5 = await rpc('eth_call', [{ to: probe }, 'latest', { [probe]: { code: slot5, state: { '0x5': '0x9' } } }])
  t.equal(BigInt(read5.result), 9n, 'state sets the slots it names')
  const patched = await rpc('eth_call', [{ to: probe, data: counter }, 'latest', { [probe]: { stateDiff: { '0x5': '0x1' } } }])
  t.equal(BigInt(patched.result), now, 'stateDiff keeps the other slots')
  const diff0 = await rpc('eth_call', [{ to: probe, data: counter }, 'latest', { [probe]: { stateDiff: { '0x0': '0x63' } } }])
  t.equal(BigInt(diff0.result), 0x63n)
  t.equal(BigInt((await rpc('eth_getStorageAt', [probe, '0x0', 'latest'])).result), now, 'overrides never reach the chain')
})

t.test('block overrides: coinbase, prevRandao, baseFee (and time / number) as geth', async (t) => {
  // COINBASE, PREVRANDAO, BASEFEE, TIMESTAMP, NUMBER -> five returned words
  const env = code(['41', '44', '48', '42', '43'].map((op, i) => op + push1(i * 32) + '52').join('') + push1(160) + push1(0) + 'f3')
  const at = '0x' + '88'.repeat(20)
  const state = { [at]: { code: env } }
  const words = (hex: string): bigint[] => Array.from({ length: 5 }, (_, i) => BigInt('0x' + hex.slice(2 + i * 64, 2 + (i + 1) * 64)))
  const coinbase = '0x' + 'c0'.repeat(20)
  const random = '0x' + 'ab'.repeat(32)
  const overrides = { feeRecipient: coinbase, prevRandao: random, baseFeePerGas: '0x7', time: '0x1234', number: '0x99' }
  const withFees = (await rpc('eth_call', [{ from: dev0, to: at, maxFeePerGas: '0x3b9aca00' }, 'latest', state, overrides])).result
  t.same(words(withFees), [BigInt(coinbase), BigInt(random), 7n, 0x1234n, 0x99n])
  const aliases = (await rpc('eth_call', [{ from: dev0, to: at, maxFeePerGas: '0x3b9aca00' }, 'latest', state, { coinbase, random, baseFee: '0x8' }])).result
  t.same(words(aliases).slice(0, 3), [BigInt(coinbase), BigInt(random), 8n], "geth's older names")
  // without fee fields geth runs with NoBaseFee: BASEFEE reads 0 whatever the override
  const noFees = (await rpc('eth_call', [{ to: at }, 'latest', state, overrides])).result
  t.equal(words(noFees)[2], 0n)
  const plain = words((await rpc('eth_call', [{ from: dev0, to: at, maxFeePerGas: '0x3b9aca00' }, 'latest', state])).result)
  const head = (await rpc('eth_getBlockByNumber', ['latest', false])).result
  t.same(
    plain,
    [BigInt(head.miner), BigInt(head.mixHash), BigInt(head.baseFeePerGas), BigInt(head.timestamp), BigInt(head.number)],
    "no overrides: the block's own values",
  )
  const low = await rpc('eth_call', [{ from: dev0, to: at, maxFeePerGas: '0x7' }, 'latest', state, { baseFeePerGas: '0x8' }])
  t.match(low.error!.message, /^max fee per gas less than block base fee: .* baseFee: 8$/, 'the overridden base fee is the one checked')
})

t.test("halts in geth's words: invalid opcode, stack underflow and overflow, bad jump, write protection", async (t) => {
  const at = '0x' + '99'.repeat(20)
  const callWith = (runtime: string) => rpc('eth_call', [{ to: at }, 'latest', { [at]: { code: runtime } }])
  const cases: [string, string][] = [
    ['0xfe', 'invalid opcode: INVALID'],
    ['0x0c', 'invalid opcode: opcode 0xc not defined'],
    ['0x6001e0', 'invalid opcode: RJUMP'],
    ['0x01', 'stack underflow (0 <=> 2)'],
    ['0x600101', 'stack underflow (1 <=> 2)'],
    ['0x600060006000f1', 'stack underflow (3 <=> 7)'],
    ['0x60008f', 'stack underflow (1 <=> 16)'],
    ['0x5b6000600056', 'stack limit reached 1024 (1023)'],
    ['0x600356', 'invalid jump destination'],
  ]
  for (const [runtime, message] of cases) {
    t.same((await callWith(runtime)).error, { code: -32000, message }, runtime)
  }
  const estimate = await rpc('eth_estimateGas', [{ from: dev0, to: at }, 'latest', { [at]: { code: '0xfe' } }])
  t.same(estimate.error, { code: -32000, message: 'invalid opcode: INVALID' }, 'eth_estimateGas reports it the same way')
  // a static frame that writes: the inner frame fails with geth's "write protection"
  const writer = '0x' + '98'.repeat(20)
  const trace = (
    await rpc('debug_traceCall', [
      { from: dev0, to: at },
      'latest',
      { tracer: 'callTracer', stateOverrides: { [at]: { code: code(staticcall(writer), STOP) }, [writer]: { code: code(push1(1) + push1(0) + '55') } } },
    ])
  ).result
  t.equal(trace.calls[0].error, 'write protection')
  t.equal(trace.calls[0].type, 'STATICCALL')
  // past the probe's step budget the plain reason stands: 5000 loop rounds (35k steps), then INVALID
  const longLoop = '0x' + '611388' + '5b' + push1(1) + '90' + '03' + '80' + push1(3) + '57' + 'fe'
  t.same((await callWith(longLoop)).error, { code: -32000, message: 'invalid opcode' })
})
