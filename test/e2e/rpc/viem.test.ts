import t from 'tap'
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  parseEther,
  parseEventLogs,
  recoverTypedDataAddress,
  webSocket,
} from 'viem'
import type { Abi, Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { PROBE, TOKEN } from '../../fixtures/contracts/contracts.ts'
import { poll } from '../../fixtures/poll.ts'
import { startDevNode } from './nodeProcess.ts'

const node = await startDevNode()
t.teardown(() => node.stop())
const chain = defineChain({
  id: 1337,
  name: 'openledger-devnet',
  nativeCurrency: { name: 'Open', symbol: 'OPEN', decimals: 18 },
  rpcUrls: { default: { http: [node.url], webSocket: [node.wsUrl] } },
})
const publicClient = createPublicClient({ chain, transport: http(node.url), pollingInterval: 50, cacheTime: 0 })
const alice = privateKeyToAccount(DEV_ACCOUNTS[4]!.privateKey as Hex)
const bob = privateKeyToAccount(DEV_ACCOUNTS[5]!.privateKey as Hex)
const wallet = createWalletClient({ chain, transport: http(node.url), account: alice })
const bobWallet = createWalletClient({ chain, transport: http(node.url), account: bob })
const tokenAbi = TOKEN.abi as Abi
const probeAbi = PROBE.abi as Abi

const deployHash = await wallet.deployContract({ abi: tokenAbi, bytecode: TOKEN.bytecode, args: ['Open', 'OPN', parseEther('1000')] })
const deployReceipt = await publicClient.waitForTransactionReceipt({ hash: deployHash })
const token = deployReceipt.contractAddress!

t.test('deploy receipt and chain reads', async (t) => {
  t.equal(deployReceipt.status, 'success')
  t.equal(deployReceipt.type, 'eip1559')
  t.ok(deployReceipt.contractAddress)
  t.equal(await publicClient.getChainId(), 1337)
  t.ok((await publicClient.getBytecode({ address: token }))!.length > 2)
  const block = await publicClient.getBlock({ blockTag: 'latest', includeTransactions: true })
  t.ok(block.number >= 1n)
  t.equal(await publicClient.readContract({ address: token, abi: tokenAbi, functionName: 'symbol' }), 'OPN')
})

t.test('ERC-20 transfer and approve/transferFrom with event logs', async (t) => {
  const h1 = await wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'transfer', args: [bob.address, 100n] })
  const r1 = await publicClient.waitForTransactionReceipt({ hash: h1 })
  const events = parseEventLogs({ abi: tokenAbi, logs: r1.logs })
  t.equal(events.length, 1)
  t.equal(events[0]!.eventName, 'Transfer')
  await publicClient.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'approve', args: [bob.address, 50n] }),
  })
  await publicClient.waitForTransactionReceipt({
    hash: await bobWallet.writeContract({ address: token, abi: tokenAbi, functionName: 'transferFrom', args: [alice.address, bob.address, 30n] }),
  })
  t.equal(await publicClient.readContract({ address: token, abi: tokenAbi, functionName: 'balanceOf', args: [bob.address] }), 130n)
  const logs = await publicClient.getContractEvents({ address: token, abi: tokenAbi, eventName: 'Transfer', fromBlock: 0n })
  t.equal(logs.length, 3)
  const toBob = await publicClient.getContractEvents({ address: token, abi: tokenAbi, eventName: 'Transfer', args: { to: bob.address }, fromBlock: 0n })
  t.equal(toBob.length, 2)
})

t.test('filters and WebSocket subscriptions', async (t) => {
  const filter = await publicClient.createContractEventFilter({ address: token, abi: tokenAbi, eventName: 'Transfer' })
  const blockFilter = await publicClient.createBlockFilter()
  const wsClient = createPublicClient({ chain, transport: webSocket(node.wsUrl) })
  const heads: bigint[] = []
  const wsLogs: unknown[] = []
  const pendingHashes: string[] = []
  const unwatchBlocks = wsClient.watchBlockNumber({ onBlockNumber: (n) => heads.push(n), emitOnBegin: false })
  const unwatchLogs = wsClient.watchContractEvent({ address: token, abi: tokenAbi, eventName: 'Transfer', onLogs: (l) => wsLogs.push(...l) })
  const unwatchPending = wsClient.watchPendingTransactions({ onTransactions: (hs) => pendingHashes.push(...hs) })
  // subscriptions are registered once a round trip on the same socket has completed
  await wsClient.getChainId()
  await poll(async () => (await wsClient.request({ method: 'eth_chainId' })) === '0x539', { timeoutMs: 10_000, what: 'eth_chainId over the WebSocket client' })
  const hash = await wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'transfer', args: [bob.address, 1n] })
  await publicClient.waitForTransactionReceipt({ hash })
  await poll(() => heads.length > 0 && wsLogs.length > 0 && pendingHashes.includes(hash), { timeoutMs: 15_000, what: 'ws events' })
  const changes = await publicClient.getFilterChanges({ filter })
  t.equal(changes.length, 1)
  t.equal(changes[0]!.transactionHash, hash)
  const newBlocks = await publicClient.getFilterChanges({ filter: blockFilter })
  t.ok(newBlocks.length >= 1)
  t.ok(await publicClient.uninstallFilter({ filter }))
  unwatchBlocks()
  unwatchLogs()
  unwatchPending()
  await (await wsClient.transport.getRpcClient()).close()
})

t.test('reverts: require string and custom error; estimateGas', async (t) => {
  try {
    await publicClient.simulateContract({
      address: token,
      abi: tokenAbi,
      functionName: 'transferFrom',
      args: [alice.address, bob.address, 10_000n],
      account: bob,
    })
    t.fail('should revert')
  } catch (err) {
    const revert = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError
    t.equal(revert.reason, 'Token: insufficient allowance')
  }
  try {
    await publicClient.simulateContract({ address: token, abi: tokenAbi, functionName: 'transfer', args: [alice.address, 10n ** 30n], account: bob })
    t.fail('should revert')
  } catch (err) {
    const revert = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError
    t.equal(revert.data?.errorName, 'InsufficientBalance')
  }
  const gas = await publicClient.estimateContractGas({ address: token, abi: tokenAbi, functionName: 'transfer', args: [bob.address, 1n], account: alice })
  const hash = await wallet.writeContract({ address: token, abi: tokenAbi, functionName: 'transfer', args: [bob.address, 1n], gas })
  t.equal((await publicClient.waitForTransactionReceipt({ hash })).status, 'success')
  const probeHash = await wallet.deployContract({ abi: probeAbi, bytecode: PROBE.bytecode })
  const probe = (await publicClient.waitForTransactionReceipt({ hash: probeHash })).contractAddress!
  const burnGas = await publicClient.estimateContractGas({ address: probe, abi: probeAbi, functionName: 'burn', args: [5n], account: alice })
  // exact minimum: one less runs out of gas
  try {
    await publicClient.call({
      account: alice,
      to: probe,
      data: (await import('viem')).encodeFunctionData({ abi: probeAbi, functionName: 'burn', args: [5n] }),
      gas: burnGas - 1n,
    })
    t.fail('one gas less must fail')
  } catch (err) {
    t.ok(err instanceof BaseError)
  }
  const burn = await wallet.writeContract({ address: probe, abi: probeAbi, functionName: 'burn', args: [5n], gas: burnGas })
  t.equal((await publicClient.waitForTransactionReceipt({ hash: burn })).status, 'success')
  const { result } = await publicClient.simulateContract({ address: probe, abi: probeAbi, functionName: 'blockInfo' })
  t.ok((result as readonly bigint[])[0]! >= 1n)
  // eth_call with block overrides and state overrides (geth's 3rd / 4th params)
  const { encodeFunctionData, decodeFunctionResult } = await import('viem')
  const blockInfo = encodeFunctionData({ abi: probeAbi, functionName: 'blockInfo' })
  const overridden = (await publicClient.request({
    method: 'eth_call',
    params: [{ to: probe, data: blockInfo }, 'latest', {}, { number: '0x3039', time: '0x64' }],
  } as never)) as Hex
  const decoded = decodeFunctionResult({ abi: probeAbi, functionName: 'blockInfo', data: overridden }) as readonly bigint[]
  t.equal(decoded[0], 12345n)
  t.equal(decoded[1], 100n)
  const counterSlot = ('0x' + '00'.repeat(32)) as Hex
  const stateOverridden = await publicClient.readContract({
    address: probe,
    abi: probeAbi,
    functionName: 'counter',
    stateOverride: [{ address: probe, stateDiff: [{ slot: counterSlot, value: ('0x' + '00'.repeat(31) + '2a') as Hex }] }],
  })
  t.equal(stateOverridden, 42n)
  const rich = ('0x' + '77'.repeat(20)) as Hex
  const balance = await publicClient.request({
    method: 'eth_call',
    params: [{ from: rich, to: rich, value: '0x1' }, 'latest', { [rich]: { balance: '0xde0b6b3a7640000' } }],
  } as never)
  t.equal(balance, '0x', 'a transfer funded by a balance override succeeds')
  // EIP-1898: state at a block given by hash, canonical required
  const latest = await publicClient.getBlock()
  const byHash = await publicClient.request({
    method: 'eth_getBalance',
    params: [alice.address, { blockHash: latest.hash, requireCanonical: true }],
  } as never)
  t.equal(BigInt(byHash as string), await publicClient.getBalance({ address: alice.address, blockNumber: latest.number }))
  const earliest = await publicClient.getBalance({ address: alice.address, blockTag: 'earliest' })
  t.equal(earliest, parseEther('10000'))
  const err = await publicClient
    .request({ method: 'eth_call', params: [{ to: probe, data: blockInfo, gas: '0x1' }, 'latest'] } as never)
    .catch((e: unknown) => e)
  t.match(String((err as Error).message), /intrinsic gas too low/)
})

t.test('EIP-712 and eth_sendTransaction through a dev (JSON-RPC) account', async (t) => {
  const dev = DEV_ACCOUNTS[0]!.address as Hex
  const devWallet = createWalletClient({ chain, transport: http(node.url), account: dev })
  t.same(
    await devWallet.getAddresses(),
    DEV_ACCOUNTS.map((a) => a.address),
  )
  const typed = {
    domain: { name: 'OpenLedger', version: '1', chainId: 1337, verifyingContract: token },
    types: {
      Order: [
        { name: 'maker', type: 'address' },
        { name: 'amount', type: 'uint256' },
        { name: 'tags', type: 'string[]' },
      ],
    },
    primaryType: 'Order' as const,
    message: { maker: dev, amount: 5n, tags: ['a', 'b'] },
  }
  const signature = await devWallet.signTypedData(typed)
  t.equal(await recoverTypedDataAddress({ ...typed, signature }), dev)
  const hash = await devWallet.sendTransaction({ to: bob.address, value: 3n })
  const r = await publicClient.waitForTransactionReceipt({ hash })
  t.equal(r.from, dev.toLowerCase())
})

t.test('fee history, fees, proofs, access lists', async (t) => {
  const fh = await publicClient.getFeeHistory({ blockCount: 3, rewardPercentiles: [25, 75] })
  t.equal(fh.baseFeePerGas.length, 4)
  t.equal(fh.reward!.length, 3)
  const fees = await publicClient.estimateFeesPerGas()
  t.ok(fees.maxFeePerGas > 0n)
  const proof = await publicClient.getProof({ address: token, storageKeys: [('0x' + '00'.repeat(32)) as Hex] })
  t.ok(proof.accountProof.length > 0)
  t.equal(proof.storageProof.length, 1)
  const al = await publicClient.createAccessList({
    account: alice,
    to: token,
    data: (await import('viem')).encodeFunctionData({ abi: tokenAbi, functionName: 'transfer', args: [bob.address, 1n] }),
  })
  // geth: the recipient stays listed because its storage (both balances) is touched
  t.equal(al.accessList.length, 1)
  t.equal(al.accessList[0]!.address, token.toLowerCase())
  t.equal(al.accessList[0]!.storageKeys.length, 2)
  t.ok(al.gasUsed > 21_000n)
})

t.test("viem's test client (mode anvil) on the --dev node: snapshot, setBalance, increaseTime, setNextBlockTimestamp, revert", async (t) => {
  const testClient = createTestClient({ chain, mode: 'anvil', transport: http(node.url), cacheTime: 0 })
  // viem's own mine() calls anvil_mine; evm_mine is what the node serves
  const mine = () => testClient.request({ method: 'evm_mine' } as never)
  const carol = '0x00000000000000000000000000000000000ca401'
  const id = await testClient.snapshot()
  const start = await publicClient.getBlock()
  await testClient.setBalance({ address: carol, value: parseEther('7') })
  t.equal(await publicClient.getBalance({ address: carol }), parseEther('7'), 'setBalance shows at latest')
  // the offset is on the wall clock (as anvil's), which the blocks built in a burst may be ahead of
  const wallClock = BigInt(Math.floor(Date.now() / 1000))
  await testClient.increaseTime({ seconds: 7 * 86_400 })
  await mine()
  const week = await publicClient.getBlock()
  t.ok(week.timestamp >= wallClock + 7n * 86_400n, `a week later than the wall clock (${wallClock} -> ${week.timestamp})`)
  // the first block built after the request gets the timestamp, whether evm_mine or the block time builds it
  const exact = week.timestamp + 1_000n
  await testClient.setNextBlockTimestamp({ timestamp: exact })
  await mine()
  const head = await publicClient.getBlockNumber()
  const stamps: bigint[] = []
  for (let n = week.number + 1n; n <= head; n++) stamps.push((await publicClient.getBlock({ blockNumber: n })).timestamp)
  t.equal(
    stamps.find((s) => s >= exact),
    exact,
    `exactly the timestamp set (blocks since: ${stamps.join(', ')})`,
  )
  await testClient.revert({ id })
  t.equal(await publicClient.getBalance({ address: carol }), 0n, 'the balance is reverted')
  const after = await publicClient.getBlock()
  t.ok(after.number < week.number, `the head went back (${after.number} < ${week.number})`)
  t.ok(after.timestamp < start.timestamp + 86_400n, 'and so did the clock')
})
