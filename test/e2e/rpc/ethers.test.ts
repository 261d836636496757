import t from 'tap'
import type { Test } from 'tap'
import { Contract, ContractFactory, Wallet, WebSocketProvider, isError, parseEther, verifyTypedData } from 'ethers'
import type { InterfaceAbi, TransactionReceipt } from 'ethers'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { PROBE, TOKEN } from '../../fixtures/contracts/contracts.ts'
import { poll } from '../../fixtures/poll.ts'
import { DEVNET, createEthersProvider } from './ethersProvider.ts'
import { startDevNode } from './nodeProcess.ts'

const node = await startDevNode()
t.teardown(() => node.stop())
const provider = createEthersProvider(node.url)
t.teardown(() => provider.destroy())
const alice = new Wallet(DEV_ACCOUNTS[1]!.privateKey, provider)
const bob = new Wallet(DEV_ACCOUNTS[2]!.privateKey, provider)
const carol = new Wallet(DEV_ACCOUNTS[3]!.privateKey, provider)

/** Await a rejection and check its ethers error code. */
async function expectCode(t: Test, p: Promise<unknown>, code: Parameters<typeof isError>[1]): Promise<unknown> {
  try {
    await p
  } catch (err) {
    t.ok(isError(err, code), `ethers error ${code}: ${String((err as Error).message).slice(0, 200)}`)
    return err
  }
  t.fail(`expected ${code}`)
  return undefined
}

const factory = new ContractFactory(TOKEN.abi as InterfaceAbi, TOKEN.bytecode, alice)
const deployed = await factory.deploy('Open', 'OPN', parseEther('1000'))
await deployed.waitForDeployment()
const token = new Contract(await deployed.getAddress(), TOKEN.abi as InterfaceAbi, alice)
const tokenAddress = (await token.getAddress()).toLowerCase()

t.test('network basics', async (t) => {
  t.equal((await provider.getNetwork()).chainId, 1337n)
  t.ok((await provider.getBlockNumber()) >= 1)
  t.equal(await provider.getBalance(DEV_ACCOUNTS[9]!.address), parseEther('10000'))
  t.ok((await provider.getCode(tokenAddress)).length > 2)
  const fee = await provider.getFeeData()
  t.ok(fee.maxFeePerGas !== null && fee.maxFeePerGas > 0n)
})

t.test('ERC-20 transfer, approve, transferFrom', async (t) => {
  const tx = await token.getFunction('transfer')(bob.address, parseEther('10'))
  const receipt = (await tx.wait()) as TransactionReceipt
  t.equal(receipt.status, 1)
  t.equal(receipt.logs.length, 1)
  t.equal(receipt.logs[0]!.index, 0)
  t.equal(await token.getFunction('balanceOf')(bob.address), parseEther('10'))
  await (await token.getFunction('approve')(carol.address, parseEther('3'))).wait()
  t.equal(await token.getFunction('allowance')(alice.address, carol.address), parseEther('3'))
  const asCarol = token.connect(carol) as Contract
  await (await asCarol.getFunction('transferFrom')(alice.address, carol.address, parseEther('2'))).wait()
  t.equal(await token.getFunction('balanceOf')(carol.address), parseEther('2'))
  t.equal(await token.getFunction('allowance')(alice.address, carol.address), parseEther('1'))
})

t.test('logs via getLogs and queryFilter', async (t) => {
  const transfers = await token.queryFilter(token.filters.Transfer!(), 0, 'latest')
  t.equal(transfers.length, 3, 'mint + transfer + transferFrom')
  const toBob = await token.queryFilter(token.filters.Transfer!(null, bob.address))
  t.equal(toBob.length, 1)
  const raw = await provider.getLogs({ address: tokenAddress, fromBlock: 0, topics: [token.interface.getEvent('Approval')!.topicHash] })
  t.equal(raw.length, 1)
})

t.test('polling filters (contract.on) and WebSocket subscriptions', async (t) => {
  const seen: string[] = []
  await token.on('Transfer', (_from: string, to: string) => {
    seen.push(to)
  })
  const ws = new WebSocketProvider(node.wsUrl, DEVNET, { staticNetwork: DEVNET, cacheTimeout: -1 })
  const wsToken = new Contract(tokenAddress, TOKEN.abi as InterfaceAbi, ws)
  const wsSeen: string[] = []
  const blocks: number[] = []
  await wsToken.on('Transfer', (_from: string, to: string) => {
    wsSeen.push(to)
  })
  await ws.on('block', (n: number) => {
    blocks.push(n)
  })
  // let the subscriptions register before the transfer is mined
  await poll(async () => (await ws.send('eth_chainId', [])) === '0x539', { timeoutMs: 10_000, what: 'eth_chainId over the WebSocket provider' })
  await (await token.getFunction('transfer')(carol.address, 1n)).wait()
  await poll(() => seen.length > 0 && wsSeen.length > 0 && blocks.length > 0, { timeoutMs: 15_000, what: 'events' })
  t.equal(seen[0], carol.address)
  t.equal(wsSeen[0], carol.address)
  await token.removeAllListeners()
  // destroying the socket drops its subscriptions on the server (connection close)
  await ws.destroy()
})

t.test('replacement tx with a fee bump', async (t) => {
  const nonce = await provider.getTransactionCount(bob.address, 'pending')
  // nonce+1 waits in the queue behind the gap, so it can be replaced
  const base = { to: carol.address, value: 1n, gasLimit: 21_000n, maxPriorityFeePerGas: 2_000_000_000n, maxFeePerGas: 20_000_000_000n }
  const first = await bob.sendTransaction({ ...base, nonce: nonce + 1 })
  await expectCode(t, bob.sendTransaction({ ...base, value: 2n, nonce: nonce + 1, maxPriorityFeePerGas: 2_000_000_001n }), 'REPLACEMENT_UNDERPRICED')
  const bumped = await bob.sendTransaction({ ...base, value: 3n, nonce: nonce + 1, maxPriorityFeePerGas: 3_000_000_000n, maxFeePerGas: 30_000_000_000n })
  const gapFill = await bob.sendTransaction({ ...base, nonce })
  await gapFill.wait()
  const r = await bumped.wait()
  t.equal(r!.status, 1)
  t.equal(await provider.getTransactionReceipt(first.hash), null)
  const mined = await provider.getTransaction(bumped.hash)
  t.equal(mined!.value, 3n)
  await expectCode(t, bob.sendTransaction({ ...base, nonce }), 'NONCE_EXPIRED')
})

t.test('reverts: require string and custom error, estimateGas', async (t) => {
  const asCarol = token.connect(carol) as Contract
  try {
    await asCarol.getFunction('transferFrom').staticCall(alice.address, carol.address, parseEther('100'))
    t.fail('should revert')
  } catch (err) {
    t.ok(isError(err, 'CALL_EXCEPTION'))
    t.equal((err as { reason: string }).reason, 'Token: insufficient allowance')
  }
  try {
    await asCarol.getFunction('transfer').staticCall(bob.address, parseEther('1000'))
    t.fail('should revert')
  } catch (err) {
    t.ok(isError(err, 'CALL_EXCEPTION'))
    const revert = (err as { revert: { name: string; args: unknown[] } }).revert
    t.equal(revert.name, 'InsufficientBalance')
  }
  const estErr = (await expectCode(t, asCarol.getFunction('transfer').estimateGas(bob.address, parseEther('1000')), 'CALL_EXCEPTION')) as {
    data: string
  }
  // ethers leaves custom errors of estimateGas undecoded; the revert data must be there to decode
  t.equal(token.interface.parseError(estErr.data)?.name, 'InsufficientBalance')
  const est = await token.getFunction('transfer').estimateGas(bob.address, 5n)
  // exact minimum: one gas less fails, the estimate succeeds
  const data = token.interface.encodeFunctionData('transfer', [bob.address, 5n])
  await expectCode(t, provider.call({ from: alice.address, to: tokenAddress, data, gasLimit: est - 1n }), 'CALL_EXCEPTION')
  const ok = await provider.call({ from: alice.address, to: tokenAddress, data, gasLimit: est })
  t.equal(BigInt(ok), 1n)
  const r = await (await token.getFunction('transfer')(bob.address, 5n, { gasLimit: est })).wait()
  t.equal(r!.status, 1)
})

t.test('EIP-712 signing against a dev account (eth_signTypedData_v4)', async (t) => {
  const signer = await provider.getSigner(DEV_ACCOUNTS[0]!.address)
  const domain = { name: 'OpenLedger', version: '1', chainId: 1337, verifyingContract: tokenAddress }
  const types = {
    Permit: [
      { name: 'owner', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'memo', type: 'string' },
    ],
  }
  const value = { owner: DEV_ACCOUNTS[0]!.address, value: 42n, memo: 'hi' }
  const sig = await signer.signTypedData(domain, types, value)
  t.equal(verifyTypedData(domain, types, value, sig), DEV_ACCOUNTS[0]!.address)
  const msgSig = await signer.signMessage('hello')
  const { verifyMessage } = await import('ethers')
  t.equal(verifyMessage('hello', msgSig), DEV_ACCOUNTS[0]!.address)
  const sent = await signer.sendTransaction({ to: carol.address, value: 7n })
  t.equal((await sent.wait())!.status, 1)
})

t.test('fee history and tracing', async (t) => {
  const fh = (await provider.send('eth_feeHistory', ['0x4', 'latest', [10, 50, 90]])) as { baseFeePerGas: string[]; reward: string[][] }
  t.equal(fh.baseFeePerGas.length, 5)
  t.equal(fh.reward.length, 4)
  const probeFactory = new ContractFactory(PROBE.abi as InterfaceAbi, PROBE.bytecode, alice)
  const p1 = await probeFactory.deploy()
  const p2 = await probeFactory.deploy()
  await p1.waitForDeployment()
  await p2.waitForDeployment()
  const probe = new Contract(await p1.getAddress(), PROBE.abi as InterfaceAbi, alice)
  const tx = await probe.getFunction('callBump')(await p2.getAddress())
  await tx.wait()
  const trace = (await provider.send('debug_traceTransaction', [tx.hash, { tracer: 'callTracer' }])) as { type: string; calls: { type: string; to: string }[] }
  t.equal(trace.type, 'CALL')
  t.equal(trace.calls.length, 1)
  t.equal(trace.calls[0]!.to, (await p2.getAddress()).toLowerCase())
  const failTrace = (await provider.send('debug_traceCall', [
    { from: alice.address, to: await p1.getAddress(), data: probe.interface.encodeFunctionData('callFail', [await p2.getAddress()]) },
    'latest',
    { tracer: 'callTracer' },
  ])) as { error: string; calls: { revertReason: string; type: string }[] }
  t.equal(failTrace.error, 'execution reverted')
  t.equal(failTrace.calls[0]!.type, 'STATICCALL')
  t.equal(failTrace.calls[0]!.revertReason, 'inner failure')
})
