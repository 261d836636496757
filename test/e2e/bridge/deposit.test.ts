// OPEN deposits from L1 (OptimismPortal.depositERC20Transaction, CGT v1) as a viem user makes
// them, against `--dev --dev.l1`: the L2 hash viem predicts is included with the deposit fields,
// the mint lands to the wei and the portal holds the OPEN; a deposit that fails on L2 keeps its
// mint and bumps the nonce; an ETH-value deposit is refused on L1.
import t from 'tap'
import { parseEther } from 'viem'
import type { Hex } from 'viem'
import { getSourceHash } from 'viem/op-stack'
import { PREDEPLOYS } from '../../../runtime/index.ts'
import { depositOpen, waitForL2 } from './bridgeFlows.ts'
import { L1_BRIDGE_ABI, startBridgeNode } from './bridgeHarness.ts'

const h = await startBridgeNode(t)
const user = h.accounts[1]!

/** The portal's OPEN: its token balance and its internal balance() (CGT v1's count of OPEN on L2). */
async function portalOpen(): Promise<{ tokens: bigint; internal: bigint }> {
  const portal = h.rollup.depositContract
  const [tokens, internal] = await Promise.all([
    h.l1.readContract({ address: h.open, abi: L1_BRIDGE_ABI, functionName: 'balanceOf', args: [portal] }),
    h.l1.readContract({ address: portal, abi: L1_BRIDGE_ABI, functionName: 'balance' }),
  ])
  return { tokens, internal }
}

t.test('deposit OPEN: the predicted L2 hash is included with the deposit fields and mints exactly X', async (t) => {
  const mint = parseEther('7.25')
  const before = await portalOpen()
  const { l1Receipt, l2Hash } = await depositOpen(h, user, { to: user.address, mint })
  const receipt = await waitForL2(h, l2Hash)
  t.equal(receipt.status, 'success', 'status 1')
  // viem's receipt formatter names no 0x7e type: the raw type comes through
  t.equal(receipt.type, '0x7e', 'receipt type 0x7e')
  t.type(receipt.depositNonce, 'bigint', 'depositNonce present')
  t.equal(receipt.depositReceiptVersion, 1, 'depositReceiptVersion 1')

  const raw = (await h.l2.request({ method: 'eth_getTransactionByHash', params: [l2Hash] })) as Record<string, unknown>
  const log = l1Receipt.logs.find((l) => l.address.toLowerCase() === h.rollup.depositContract.toLowerCase())!
  t.equal(raw.type, '0x7e', 'tx type 0x7e')
  t.equal(raw.hash, l2Hash, 'hash')
  t.equal(BigInt(raw.mint as Hex), mint, 'mint = X')
  t.equal(raw.isSystemTx, false, 'isSystemTx false')
  t.equal(
    raw.sourceHash,
    getSourceHash({ domain: 'userDeposit', l1BlockHash: l1Receipt.blockHash, l1LogIndex: log.logIndex }),
    'sourceHash = user-deposit domain of (L1 block hash, block-wide log index)',
  )
  t.equal((raw.from as string).toLowerCase(), user.address.toLowerCase(), 'from = the L1 sender (an EOA: not aliased)')
  t.equal(BigInt(raw.nonce as Hex), receipt.depositNonce, 'nonce = depositNonce')

  const [was, is] = await Promise.all([
    h.l2.getBalance({ address: user.address, blockNumber: receipt.blockNumber - 1n }),
    h.l2.getBalance({ address: user.address, blockNumber: receipt.blockNumber }),
  ])
  t.equal(is - was, mint, 'the native L2 balance rose by exactly X')
  const after = await portalOpen()
  t.equal(after.tokens - before.tokens, mint, "the portal's OPEN balanceOf rose by X")
  t.equal(after.internal - before.internal, mint, "the portal's balance() rose by X")
})

t.test('deposit with value: mint to the sender, value passed on to `to`', async (t) => {
  const [mint, value] = [parseEther('3'), parseEther('1')]
  const to = h.accounts[2]!.address
  const { l2Hash } = await depositOpen(h, user, { to, mint, value })
  const receipt = await waitForL2(h, l2Hash)
  t.equal(receipt.status, 'success')
  const at = (address: Hex, blockNumber: bigint) => h.l2.getBalance({ address, blockNumber })
  const n = receipt.blockNumber
  t.equal((await at(user.address, n)) - (await at(user.address, n - 1n)), mint - value, 'sender +mint -value')
  t.equal((await at(to, n)) - (await at(to, n - 1n)), value, 'recipient +value')
})

t.test('deposits that fail on L2 keep the mint, bump the nonce and are included with status 0', async (t) => {
  const depositor = h.accounts[3]!
  const nonceBefore = await h.l2.getTransactionCount({ address: depositor.address })
  // a selector the message passer's implementation lacks: the call reverts
  const reverting = await depositOpen(h, depositor, { to: PREDEPLOYS.L2ToL1MessagePasser, mint: parseEther('2'), data: '0xdeadbeef' })
  const revertReceipt = await waitForL2(h, reverting.l2Hash)
  // the portal's minimum gas for 4 bytes of calldata (21000 + 16 × 4): out of gas in the proxy's first opcodes
  const oog = await depositOpen(h, depositor, { to: PREDEPLOYS.L2ToL1MessagePasser, mint: parseEther('1'), gasLimit: 21_064n, data: '0xdeadbeef' })
  const oogReceipt = await waitForL2(h, oog.l2Hash)
  for (const [name, receipt, mint, nonce] of [
    ['reverting call', revertReceipt, parseEther('2'), nonceBefore],
    ['out of gas', oogReceipt, parseEther('1'), nonceBefore + 1],
  ] as const) {
    t.equal(receipt.status, 'reverted', `${name}: status 0`)
    t.equal(receipt.depositNonce, BigInt(nonce), `${name}: depositNonce = the nonce before`)
    const n = receipt.blockNumber
    const [was, is] = await Promise.all([
      h.l2.getBalance({ address: depositor.address, blockNumber: n - 1n }),
      h.l2.getBalance({ address: depositor.address, blockNumber: n }),
    ])
    t.equal(is - was, mint, `${name}: the mint stays`)
    t.equal(await h.l2.getTransactionCount({ address: depositor.address, blockNumber: n }), nonce + 1, `${name}: nonce bumped`)
  }
  t.equal(oogReceipt.gasUsed, 21_064n, 'out of gas: all the gas limit used')
})

t.test('an ETH-value depositTransaction is refused on L1 (custom gas token)', async (t) => {
  const wallet = h.l1Wallet(user)
  await t.rejects(
    wallet.simulateContract({
      address: h.rollup.depositContract,
      abi: L1_BRIDGE_ABI,
      functionName: 'depositTransaction',
      args: [user.address, parseEther('1'), 100_000n, false, '0x'],
      value: parseEther('1'),
    }),
    'depositTransaction with value reverts',
  )
  // sent anyway (fixed gas, no estimate): mined and reverted, nothing derived
  const hash = await wallet.writeContract({
    address: h.rollup.depositContract,
    abi: L1_BRIDGE_ABI,
    functionName: 'depositTransaction',
    args: [user.address, parseEther('1'), 100_000n, false, '0x'],
    value: parseEther('1'),
    gas: 300_000n,
  })
  const receipt = await h.l1.waitForTransactionReceipt({ hash })
  t.equal(receipt.status, 'reverted', 'mined and reverted')
  t.equal(receipt.logs.length, 0, 'no TransactionDeposited')
})
