// An ERC-20 round trip through the real OP Standard Bridge (contracts-bedrock 0.17.3) between
// anvil and `--dev --dev.l1`: an L1 token, its L2 twin from OptimismMintableERC20Factory,
// L1StandardBridge.bridgeERC20To relayed by L1CrossDomainMessenger as a deposit from the aliased
// messenger to L2CrossDomainMessenger, and L2StandardBridge.bridgeERC20To back through
// L2ToL1MessagePasser, proven and finalized on L1 with its event chain.
import t from 'tap'
import { encodeDeployData, getAddress, parseEther, parseEventLogs } from 'viem'
import type { Abi, Hex } from 'viem'
import { getL2TransactionHashes } from 'viem/op-stack'
import { readOpArtifact } from '../../../node/l1/index.ts'
import { PREDEPLOYS } from '../../../runtime/index.ts'
import { proveAndFinalize, waitForL2, withdrawalOf } from './bridgeFlows.ts'
import { L1_BRIDGE_ABI, startBridgeNode } from './bridgeHarness.ts'

const h = await startBridgeNode(t)
const [tokenOwner, user] = [h.accounts[5]!, h.accounts[6]!]
const artifact = (name: string): Abi => readOpArtifact(name).abi
const mock = readOpArtifact('MockERC20')
const [minted, bridged, returned] = [parseEther('100'), parseEther('30'), parseEther('12')]
/**
 * gas of L1StandardBridge.bridgeERC20To sent before its approve is mined (no estimate possible):
 * ~200k of execution plus the portal's resource metering, which burns about the deposit's L2 gas
 * limit (~492k, the messenger's baseGas) while L1's base fee is under 1 gwei (op-bridge.md §2.3)
 */
const BRIDGE_GAS = 1_500_000n
/** the relayed message's minimum gas on the other side (the messengers add their overhead) */
const MIN_GAS_LIMIT = 200_000

/** The L2 sender of an L1 contract's deposits: address + 0x1111…1111 mod 2^160 (OP AddressAliasHelper). */
function applyL1ToL2Alias(address: Hex): Hex {
  const aliased = (BigInt(address) + 0x1111000000000000000000000000000000001111n) % (1n << 160n)
  return getAddress(`0x${aliased.toString(16).padStart(40, '0')}`)
}

const l1Token = await (async () => {
  const wallet = h.l1Wallet(tokenOwner)
  const hash = await wallet.sendTransaction({ data: encodeDeployData({ abi: mock.abi, bytecode: mock.bytecode, args: ['Bridge Token', 'BT', 18] }) })
  const address = (await h.l1.waitForTransactionReceipt({ hash })).contractAddress!
  const mint = await wallet.writeContract({ address, abi: mock.abi, functionName: 'mint', args: [user.address, minted] })
  await h.l1.waitForTransactionReceipt({ hash: mint })
  return address
})()
const balanceOn = (client: typeof h.l1 | typeof h.l2, token: Hex, owner: Hex) =>
  client.readContract({ address: token, abi: L1_BRIDGE_ABI, functionName: 'balanceOf', args: [owner] })

let l2Token: Hex

t.test('the L2 twin comes from OptimismMintableERC20Factory', async (t) => {
  const hash = await h.l2Wallet(user).writeContract({
    address: PREDEPLOYS.OptimismMintableERC20Factory,
    abi: artifact('OptimismMintableERC20Factory'),
    functionName: 'createOptimismMintableERC20',
    args: [l1Token, 'Bridge Token', 'BT'],
  })
  const receipt = await h.l2.waitForTransactionReceipt({ hash })
  const [created] = parseEventLogs({ abi: artifact('OptimismMintableERC20Factory'), eventName: 'OptimismMintableERC20Created', logs: receipt.logs })
  const args = (created as unknown as { args: { localToken: Hex; remoteToken: Hex } }).args
  t.equal(getAddress(args.remoteToken), getAddress(l1Token), 'remote token = the L1 token')
  l2Token = args.localToken
  const bridge = await h.l2.readContract({ address: l2Token, abi: artifact('OptimismMintableERC20'), functionName: 'bridge' })
  t.equal((bridge as Hex).toLowerCase(), PREDEPLOYS.L2StandardBridge, 'minted and burned by L2StandardBridge')
})

t.test('L1StandardBridge.bridgeERC20To: the relayed deposit credits the L2 token', async (t) => {
  const wallet = h.l1Wallet(user)
  const nonce = await h.l1.getTransactionCount({ address: user.address, blockTag: 'pending' })
  await wallet.writeContract({ address: l1Token, abi: mock.abi, functionName: 'approve', args: [h.rollup.l1StandardBridge, bridged], nonce })
  const hash = await wallet.writeContract({
    address: h.rollup.l1StandardBridge,
    abi: artifact('L1StandardBridge'),
    functionName: 'bridgeERC20To',
    args: [l1Token, l2Token, user.address, bridged, MIN_GAS_LIMIT, '0x'],
    gas: BRIDGE_GAS,
    nonce: nonce + 1,
  })
  const l1Receipt = await h.l1.waitForTransactionReceipt({ hash })
  t.equal(l1Receipt.status, 'success', 'bridgeERC20To succeeded on L1')
  const hashes = getL2TransactionHashes(l1Receipt)
  t.equal(hashes.length, 1, 'one TransactionDeposited')
  const l2Hash = hashes[0]!
  const receipt = await waitForL2(h, l2Hash)
  t.equal(receipt.status, 'success', 'the relay succeeded on L2')
  const tx = await h.l2.getTransaction({ hash: l2Hash })
  t.equal(tx.type, 'deposit', 'a deposit')
  t.equal(getAddress(tx.from), applyL1ToL2Alias(h.rollup.l1CrossDomainMessenger), 'from the aliased L1CrossDomainMessenger')
  t.equal(tx.to?.toLowerCase(), PREDEPLOYS.L2CrossDomainMessenger, 'to L2CrossDomainMessenger')
  const events = parseEventLogs({ abi: [...artifact('L2StandardBridge'), ...artifact('L1CrossDomainMessenger')], logs: receipt.logs })
  const names = events.map((e) => e.eventName)
  t.ok(names.includes('DepositFinalized') && names.includes('RelayedMessage'), `L2 events ${names.join(', ')}`)
  t.equal(await balanceOn(h.l2, l2Token, user.address), bridged, 'the L2 token credited')
  t.equal(await balanceOn(h.l1, l1Token, h.rollup.l1StandardBridge), bridged, 'L1StandardBridge escrows the L1 token')
})

t.test('L2StandardBridge.bridgeERC20To back: proven and finalized on L1 with its event chain', async (t) => {
  const hash = await h.l2Wallet(user).writeContract({
    address: PREDEPLOYS.L2StandardBridge,
    abi: artifact('L2StandardBridge'),
    functionName: 'bridgeERC20To',
    args: [l2Token, l1Token, user.address, returned, MIN_GAS_LIMIT, '0x'],
  })
  const l2Receipt = await h.l2.waitForTransactionReceipt({ hash })
  t.equal(l2Receipt.status, 'success', 'bridgeERC20To succeeded on L2')
  t.equal(await balanceOn(h.l2, l2Token, user.address), bridged - returned, 'the L2 token burned')
  const withdrawal = withdrawalOf(l2Receipt)
  t.equal(withdrawal.sender.toLowerCase(), PREDEPLOYS.L2CrossDomainMessenger, 'withdrawal sender: L2CrossDomainMessenger')
  t.equal(withdrawal.target, getAddress(h.rollup.l1CrossDomainMessenger), 'withdrawal target: L1CrossDomainMessenger')
  t.equal(withdrawal.value, 0n, 'no OPEN withdrawn')

  const before = await balanceOn(h.l1, l1Token, user.address)
  const { receipt, finalized } = await proveAndFinalize(h, user, l2Receipt)
  t.equal(receipt.status, 'success', 'finalize succeeded')
  const chain = parseEventLogs({ abi: [...artifact('L1StandardBridge'), ...artifact('L1CrossDomainMessenger'), ...L1_BRIDGE_ABI], logs: receipt.logs })
  const at = (eventName: string) => chain.find((e) => e.eventName === eventName)
  t.equal(at('ERC20WithdrawalFinalized')?.address, h.rollup.l1StandardBridge.toLowerCase(), 'ERC20WithdrawalFinalized from L1StandardBridge')
  const bridgeFinalized = at('ERC20BridgeFinalized') as unknown as { address: Hex; args: { to: Hex; amount: bigint } } | undefined
  t.equal(bridgeFinalized?.address, h.rollup.l1StandardBridge.toLowerCase(), 'ERC20BridgeFinalized from L1StandardBridge')
  t.equal(bridgeFinalized?.args.amount, returned, 'for the amount')
  t.equal(at('RelayedMessage')?.address, h.rollup.l1CrossDomainMessenger.toLowerCase(), 'RelayedMessage from L1CrossDomainMessenger')
  t.notOk(at('FailedRelayedMessage'), 'no FailedRelayedMessage')
  t.equal(finalized[0]?.args.success, true, 'WithdrawalFinalized(success = true) from the portal')
  t.same(
    chain.map((e) => e.eventName).filter((n) => n !== 'Transfer'),
    ['ERC20WithdrawalFinalized', 'ERC20BridgeFinalized', 'RelayedMessage', 'WithdrawalFinalized'],
    'in that order',
  )
  t.equal((await balanceOn(h.l1, l1Token, user.address)) - before, returned, 'the L1 token paid out')
  t.equal(await balanceOn(h.l1, l1Token, h.rollup.l1StandardBridge), bridged - returned, 'L1StandardBridge escrow down by as much')
})
