// The L1 side of the OP bridge on a real anvil: deployL1 (contracts-bedrock 0.17.3, OPEN as custom
// gas token), then the L1 follower's deposits, confirmations, reorgs, malformed logs and outage.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex } from '@ethereumjs/util'
import { encodeAbiParameters, encodeFunctionData, numberToHex, pad } from 'viem'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { getL2TransactionHashes } from 'viem/op-stack'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { createLogger } from '../../../node/logger.ts'
import { createAnvil, createL1Follower, createL1Metrics, deployL1, readOpArtifact } from '../../../node/l1/index.ts'
import { MULTICALL3_ADDRESS, multicall3Code } from '../../../runtime/index.ts'
import type { Anvil, L1Follower, L1FollowerOptions, L1Metrics } from '../../../node/l1/index.ts'
import { Registry } from 'prom-client'
import { TRANSACTION_DEPOSITED_TOPIC0 } from '../../../runtime/index.ts'
import { compileSolidity } from '../../fixtures/contracts/compileSolidity.ts'
import { l1Clients } from '../../fixtures/l1/l1Clients.ts'

const GENESIS_SUPPLY = 10n ** 27n
const USER_OPEN = 100n * 10n ** 18n
const [deployer, proxyAdmin, user] = [0, 1, 2].map((i) => privateKeyToAccount(DEV_ACCOUNTS[i]!.privateKey)) as [
  ReturnType<typeof privateKeyToAccount>,
  ReturnType<typeof privateKeyToAccount>,
  ReturnType<typeof privateKeyToAccount>,
]
const portalAbi = readOpArtifact('OptimismPortal').abi
const tokenAbi = readOpArtifact('MockERC20').abi
const systemConfigAbi = readOpArtifact('SystemConfig').abi

const stateDir = mkdtempSync(join(tmpdir(), 'ol-l1-'))
let anvil: Anvil = await createAnvil({ chainId: 900n, statePath: join(stateDir, 'state.json') })
t.teardown(async () => {
  await anvil.stop()
  rmSync(stateDir, { recursive: true, force: true })
})
const { wallet, l1 } = l1Clients(anvil)
const l2GenesisTimestamp = (await l1.getBlock()).timestamp
const deployment = await deployL1(
  wallet,
  { deployer, proxyAdmin },
  { l2GenesisTimestamp, genesisSupply: GENESIS_SUPPLY, l2ChainId: 1337n, fundOpen: [{ address: user.address, amount: USER_OPEN }] },
)
const portal = deployment.rollup.depositContract

/** Log lines of a follower, parsed. */
type Line = { level: number; msg: string; [key: string]: unknown }
function follower(options: Partial<L1FollowerOptions> = {}): { l1: L1Follower; lines: Line[]; metrics: L1Metrics; registry: Registry } {
  const lines: Line[] = []
  const logger = createLogger({ level: 'debug', format: 'json', destination: { write: (s: string) => void lines.push(JSON.parse(s) as Line) } })
  const registry = new Registry()
  const metrics = createL1Metrics(registry)
  const l1Follower = createL1Follower({ rpcUrl: anvil.url, rollup: deployment.rollup, confirmations: 2, pollIntervalMs: 0, logger, metrics, ...options })
  return { l1: l1Follower, lines, metrics, registry }
}
const value = async (metric: L1Metrics[keyof L1Metrics]): Promise<number> => (await metric.get()).values[0]?.value ?? 0
const mine = (blocks: number): Promise<void> => l1.mine({ blocks })

async function userDeposit(mint: bigint): Promise<{ hash: Hex; blockNumber: bigint; blockHash: Hex; l2Hashes: Hex[] }> {
  await l1.waitForTransactionReceipt({
    hash: await wallet.writeContract({ account: user, address: deployment.openToken, abi: tokenAbi, functionName: 'approve', args: [portal, mint] }),
  })
  const hash = await wallet.writeContract({
    account: user,
    address: portal,
    abi: portalAbi,
    functionName: 'depositERC20Transaction',
    args: [user.address, mint, 0n, 100_000n, false, '0x'],
  })
  const receipt = await l1.waitForTransactionReceipt({ hash })
  t.equal(receipt.status, 'success', 'depositERC20Transaction succeeded')
  return { hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, l2Hashes: getL2TransactionHashes(receipt) }
}

t.test('deployL1: CGT v1 contracts with OPEN as the gas-paying token', async (t) => {
  const read = (address: Hex, abi: typeof portalAbi, functionName: string, args: unknown[] = []): Promise<unknown> =>
    l1.readContract({ address, abi, functionName, args })
  t.same(
    await read(deployment.rollup.systemConfig, systemConfigAbi, 'gasPayingToken'),
    [deployment.openToken, 18],
    'SystemConfig.gasPayingToken() = (OPEN, 18)',
  )
  t.equal(await read(deployment.rollup.systemConfig, systemConfigAbi, 'isCustomGasToken'), true)
  t.equal(await read(portal, portalAbi, 'version'), '2.8.1-beta.1')
  t.equal(await read(deployment.openToken, tokenAbi, 'balanceOf', [portal]), GENESIS_SUPPLY, 'the portal holds the genesis supply')
  t.equal(await read(portal, portalAbi, 'balance'), GENESIS_SUPPLY, 'and counts it in its internal balance')
  t.equal(await read(deployment.openToken, tokenAbi, 'balanceOf', [user.address]), USER_OPEN, 'dev account funded')
  t.same(deployment.rollup.gasPayingToken, { address: deployment.openToken, decimals: 18, name: 'Open Token', symbol: 'OPEN' })
  t.equal(deployment.rollup.depositContract, deployment.proxies.OptimismPortal)
  t.equal(deployment.rollup.batchInbox, '0xff00000000000000000000000000000000000539', 'batch inbox 0xff00…<l2ChainId>')
  t.equal(await l1.getCode({ address: MULTICALL3_ADDRESS }), multicall3Code().toLowerCase(), 'Multicall3 code set')
  const lock = await l1.getTransactionReceipt({ hash: deployment.genesisLock!.txHash })
  t.same(deployment.rollup.l1Genesis, { number: lock.blockNumber, hash: lock.blockHash }, 'l1Genesis is the block of the genesis lock')
  t.equal(getL2TransactionHashes(lock).length, 1, 'the lock emitted one TransactionDeposited')
  // the proxies answer their implementation only to their admin; the deployer is delegated through
  const admin = await l1.getStorageAt({ address: portal, slot: '0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103' })
  t.equal(admin, pad(proxyAdmin.address.toLowerCase() as Hex, { size: 32 }), 'EIP-1967 admin = the proxy admin account')
})

t.test('the SystemConfig gas-token deposit decodes as L1Block.setGasPayingToken', async (t) => {
  const logs = (await l1.getLogs({ address: portal, fromBlock: 0n, toBlock: deployment.rollup.l1Genesis.number })).filter(
    (l) => l.topics[0] === TRANSACTION_DEPOSITED_TOPIC0,
  )
  t.equal(logs.length, 2, 'the SystemConfig deposit and the genesis lock')
  const { l1: follower0 } = follower({ confirmations: 0 })
  const origin = await follower0.originAt(logs[0]!.blockNumber)
  t.equal(origin?.deposits.length, 1)
  const deposit = origin!.deposits[0]!
  t.equal(deposit.from.toString(), '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001')
  t.equal(deposit.to?.toString(), '0x4200000000000000000000000000000000000015')
  t.equal(deposit.gasLimit, 200_000n)
  t.equal(bytesToHex(deposit.data.subarray(0, 4)), '0x71cfaa3f', 'setGasPayingToken selector')
})

t.test('a user deposit becomes the DepositTx viem predicts, once confirmed', async (t) => {
  const { l1: follow, metrics } = follower({ confirmations: 2 })
  const deposit = await userDeposit(10n ** 19n)
  t.equal(deposit.l2Hashes.length, 1)
  t.equal(await follow.originAt(deposit.blockNumber), undefined, 'not returned while newer than latest - confirmations')
  const parent = await l1.getBlock({ blockNumber: deposit.blockNumber - 1n })
  const parentRef = { number: parent.number, hash: hexBytes(parent.hash) }
  t.equal(await follow.nextOrigin(parentRef), undefined, 'nextOrigin neither')
  await mine(1)
  t.equal(await follow.nextOrigin(parentRef), undefined, 'one confirmation is not two')
  await mine(1)
  t.equal(await follow.confirmedHead(), deposit.blockNumber)
  const origin = await follow.nextOrigin(parentRef)
  t.ok(origin !== undefined, 'confirmed: returned')
  t.equal(bytesToHex(origin!.hash), deposit.blockHash)
  t.equal(bytesToHex(origin!.parentHash), parent.hash)
  const block = await l1.getBlock({ blockNumber: deposit.blockNumber })
  t.equal(origin!.timestamp, block.timestamp)
  t.equal(origin!.baseFee, block.baseFeePerGas)
  t.equal(origin!.blobBaseFee, 1n, 'no excess blob gas: the minimum')
  t.same(
    origin!.deposits.map((d) => bytesToHex(d.hash())),
    deposit.l2Hashes,
    "the deposit's hash equals viem's getL2TransactionHashes",
  )
  t.equal(origin!.deposits[0]!.mint, 10n ** 19n)
  t.equal(origin!.deposits[0]!.from.toString(), user.address.toLowerCase())
  t.equal(await follow.originAt(deposit.blockNumber), origin, 'cached by hash')
  t.equal(await value(metrics.depositsTotal), 1, 'l1_deposits_total counts the block once')
  t.equal(await value(metrics.originLagBlocks), 2)
})

t.test('an ETH-value depositTransaction reverts (custom gas token)', async (t) => {
  const hash = await wallet.sendTransaction({
    account: user,
    to: portal,
    value: 1n,
    gas: 500_000n,
    data: encodeFunctionData({ abi: portalAbi, functionName: 'depositTransaction', args: [user.address, 1n, 100_000n, false, '0x'] }),
  })
  t.equal((await l1.waitForTransactionReceipt({ hash })).status, 'reverted')
})

t.test('an unconfirmed block replaced by a reorg: the follower returns the new chain', async (t) => {
  const { l1: follow } = follower({ confirmations: 2 })
  const base = await l1.getBlock()
  const baseRef = { number: base.number, hash: hexBytes(base.hash) }
  const snapshot = await l1.snapshot()
  const old = await userDeposit(10n ** 18n)
  t.equal(await follow.nextOrigin(baseRef), undefined, 'the deposit block is not confirmed')
  await l1.revert({ id: snapshot })
  // the replacing chain: other txs, so other hashes
  await l1.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: deployer, to: deployer.address, value: 7n }) })
  await mine(2)
  const origin = await follow.nextOrigin(baseRef)
  const replacing = await l1.getBlock({ blockNumber: base.number + 1n })
  t.not(replacing.hash, old.blockHash, 'the block was replaced')
  t.equal(origin && bytesToHex(origin.hash), replacing.hash, 'the new chain is followed')
  t.equal(origin?.deposits.length, 0, 'the reorged-out deposit is gone')
})

t.test('a reorg deeper than the confirmations is reported, not followed', async (t) => {
  const { l1: follow, lines, metrics } = follower({ confirmations: 1 })
  const snapshot = await l1.snapshot()
  await userDeposit(2n * 10n ** 18n)
  await mine(1)
  const confirmedNumber = (await follow.confirmedHead())!
  const handedOut = (await follow.originAt(confirmedNumber))!
  t.equal(handedOut.deposits.length, 1, 'a confirmed origin was handed out')
  await l1.revert({ id: snapshot })
  await l1.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: deployer, to: user.address, value: 3n }) })
  await mine(4)
  t.equal(await follow.nextOrigin(handedOut), undefined, 'the block after a replaced origin is not returned')
  t.equal(await follow.nextOrigin(handedOut), undefined, 'still not')
  t.equal(await value(metrics.deepReorgsTotal), 1, 'l1_deep_reorgs_total, once per replaced origin')
  const reported = lines.filter((l) => l.level === 50 && /deeper than the confirmation depth/.test(l.msg))
  t.equal(reported.length, 1, 'one error log')
  t.equal(reported[0]?.hash, bytesToHex(handedOut.hash))
  const canonical = await l1.getBlock({ blockNumber: handedOut.number })
  t.not(canonical.hash, bytesToHex(handedOut.hash))
  t.ok(await follow.originAt(handedOut.number), 'the new chain is still readable by number')
})

t.test('malformed deposit logs are skipped, logged and counted', async (t) => {
  const source = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Emitter {
  function emit4(bytes32 t0, bytes32 t1, bytes32 t2, bytes32 t3, bytes calldata data) external {
    bytes memory d = data;
    assembly { log4(add(d, 32), mload(d), t0, t1, t2, t3) }
  }
  function emit3(bytes32 t0, bytes32 t1, bytes32 t2, bytes calldata data) external {
    bytes memory d = data;
    assembly { log3(add(d, 32), mload(d), t0, t1, t2) }
  }
}`
  const emitter = compileSolidity({ sources: { 'Emitter.sol': source }, outputs: ['abi', 'evm.bytecode.object'] })['Emitter.sol']!.Emitter!
  const deployHash = await wallet.deployContract({ account: deployer, abi: emitter.abi, bytecode: `0x${emitter.evm.bytecode.object}` })
  const address = (await l1.waitForTransactionReceipt({ hash: deployHash })).contractAddress!
  const word = (n: bigint): Hex => numberToHex(n, { size: 32 })
  const from = pad(user.address, { size: 32 })
  const opaque = `0x${word(5n).slice(2)}${word(0n).slice(2)}${numberToHex(100_000n, { size: 8 }).slice(2)}00` as Hex
  const good = encodeAbiParameters([{ type: 'bytes' }], [opaque])
  const calls: [string, Hex[], Hex][] = [
    ['emit4', [TRANSACTION_DEPOSITED_TOPIC0, from, from, word(1n)], good], // version 1
    ['emit4', [TRANSACTION_DEPOSITED_TOPIC0, from, from, word(0n)], good], // well-formed
    ['emit3', [TRANSACTION_DEPOSITED_TOPIC0, from, from], good], // 3 topics
    ['emit4', [TRANSACTION_DEPOSITED_TOPIC0, from, from, word(0n)], `0x${word(64n).slice(2)}${good.slice(66)}`], // offset 64
  ]
  // one block: the follower reads block-wide log indexes
  await l1.setAutomine(false)
  const hashes: Hex[] = []
  for (const [fn, topics, data] of calls) {
    hashes.push(await wallet.writeContract({ account: deployer, address, abi: emitter.abi, functionName: fn, args: [...topics, data], gas: 200_000n }))
  }
  await mine(1)
  await l1.setAutomine(true)
  const receipts = await Promise.all(hashes.map((hash) => l1.waitForTransactionReceipt({ hash })))
  t.ok(
    receipts.every((r) => r.blockNumber === receipts[0]!.blockNumber && r.status === 'success'),
    'four logs in one block',
  )
  await mine(1)
  const { l1: follow, lines, metrics } = follower({ confirmations: 0, rollup: { depositContract: address } })
  const origin = await follow.originAt(receipts[0]!.blockNumber)
  t.equal(origin?.deposits.length, 1, 'the well-formed log is derived')
  t.equal(origin!.deposits[0]!.mint, 5n)
  t.equal(await value(metrics.depositLogsMalformedTotal), 3, 'l1_deposit_logs_malformed_total')
  const warned = lines.filter((l) => l.level === 40 && l.msg === 'malformed deposit log skipped')
  t.same(
    warned.map((l) => [l.l1Block, l.logIndex]),
    [0, 2, 3].map((i) => [receipts[0]!.blockNumber.toString(), String(receipts[i]!.logs[0]!.logIndex)]),
    'each skipped log named by L1 block and log index',
  )
  t.match(String(warned[0]!.reason), /version 1/)
})

t.test('an L1 outage: undefined without throwing, then recovery', async (t) => {
  const { l1: follow, lines, metrics } = follower({ confirmations: 1, pollIntervalMs: 50, maxBackoffMs: 200, requestTimeoutMs: 2_000 })
  const head = (await follow.confirmedHead())!
  const before = (await follow.originAt(head - 1n))!
  const port = anvil.port
  await anvil.stop()
  t.equal(await follow.nextOrigin(before), undefined, 'L1 down: undefined')
  t.equal(await follow.originAt(head), undefined, 'originAt too')
  t.equal(await follow.confirmedHead(), undefined, 'and the head')
  t.ok((await value(metrics.rpcErrorsTotal)) >= 1, 'l1_rpc_errors_total')
  t.ok(
    lines.some((l) => l.level === 40 && l.msg === 'L1 RPC failed'),
    'warned',
  )
  anvil = await createAnvil({ chainId: 900n, port, statePath: join(stateDir, 'state.json') })
  const deadline = Date.now() + 5_000
  let next = await follow.nextOrigin(before)
  // poll with a deadline: the follower waits out its backoff (at most maxBackoffMs) before it asks L1 again
  while (next === undefined && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    next = await follow.nextOrigin(before)
  }
  t.ok(next !== undefined, 'recovered once L1 answers again')
  t.equal(next!.number, head, 'the same chain continues')
  t.ok(lines.some((l) => l.msg === 'L1 RPC answers again'))
})

function hexBytes(hex: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
}
