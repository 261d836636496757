// OPEN withdrawals to L1 as a viem user makes them, against `--dev --dev.l1` and its proposer:
// L2ToL1MessagePasser.initiateWithdrawal, an output posted by the node, viem's
// buildProveWithdrawal (our eth_getProof) → proveWithdrawal → finalizeWithdrawal after the
// finalization period (L1 time warped), for deposited OPEN and for genesis OPEN (what the genesis
// lock backs); a tampered proof and a second finalize revert; and, last, the supply invariant
// between the L2 state and the portal, to the wei.
import t from 'tap'
import { parseEther } from 'viem'
import type { Hex, PrivateKeyAccount, TransactionReceipt } from 'viem'
import { buildProve, depositOpen, finalize, proveAndFinalize, prove, waitForL2, withdrawalOf } from './bridgeFlows.ts'
import { L1_BRIDGE_ABI, startBridgeNode } from './bridgeHarness.ts'
import { l2Supply } from './l2Supply.ts'

const h = await startBridgeNode(t)
const [depositor, genesisHolder, pendingHolder] = [h.accounts[1]!, h.accounts[2]!, h.accounts[3]!]
const openOnL1 = (address: Hex) => h.l1.readContract({ address: h.open, abi: L1_BRIDGE_ABI, functionName: 'balanceOf', args: [address] })

/** initiateWithdrawal(to = self, 100k gas, no data){value} on L2 through viem; the L2 receipt (must succeed). */
async function initiate(account: PrivateKeyAccount, value: bigint): Promise<TransactionReceipt> {
  const hash = await h.l2Wallet(account).initiateWithdrawal({ request: { gas: 100_000n, to: account.address, value } })
  const receipt = await h.l2.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`initiateWithdrawal ${hash} reverted`)
  return receipt
}

const deposited = parseEther('20')
const withdrawn = { depositor: parseEther('6.5'), genesis: parseEther('4'), pending: parseEther('1.5') }

t.test('withdraw deposited OPEN: prove and finalize on L1 pay out exactly Y', async (t) => {
  const { l2Hash } = await depositOpen(h, depositor, { to: depositor.address, mint: deposited })
  t.equal((await waitForL2(h, l2Hash)).status, 'success', 'deposit included')
  const l2Receipt = await initiate(depositor, withdrawn.depositor)
  const withdrawal = withdrawalOf(l2Receipt)
  t.equal(withdrawal.value, withdrawn.depositor, 'MessagePassed value')
  t.equal(withdrawal.sender.toLowerCase(), depositor.address.toLowerCase(), 'sender not aliased')

  const l1Before = await openOnL1(depositor.address)
  const { receipt, finalized } = await proveAndFinalize(h, depositor, l2Receipt)
  t.equal(receipt.status, 'success', 'finalize succeeded')
  t.equal(finalized.length, 1, 'one WithdrawalFinalized')
  t.equal(finalized[0]!.args.withdrawalHash, withdrawal.withdrawalHash, 'for this withdrawal')
  t.equal(finalized[0]!.args.success, true, 'success = true')
  t.equal((await openOnL1(depositor.address)) - l1Before, withdrawn.depositor, 'L1 OPEN rose by exactly Y')
  t.equal(await h.l1.getWithdrawalStatus({ receipt: l2Receipt, targetChain: h.l2Chain }), 'finalized', 'viem status: finalized')
})

t.test('withdraw genesis OPEN; a second finalize reverts', async (t) => {
  const l2Receipt = await initiate(genesisHolder, withdrawn.genesis)
  const l1Before = await openOnL1(genesisHolder.address)
  const { withdrawal, receipt, finalized } = await proveAndFinalize(h, genesisHolder, l2Receipt)
  t.equal(receipt.status, 'success', 'finalize succeeded')
  t.equal(finalized[0]?.args.success, true, 'WithdrawalFinalized(success = true)')
  t.equal((await openOnL1(genesisHolder.address)) - l1Before, withdrawn.genesis, 'L1 OPEN rose by exactly Y (paid from the genesis lock)')

  await t.rejects(h.l1Wallet(genesisHolder).simulateContract(finalizeCall(withdrawal)), 'a second finalize does not simulate')
  const again = await finalize(h, genesisHolder, withdrawal)
  t.equal(again.status, 'reverted', 'a second finalize reverts on L1')
  t.equal((await openOnL1(genesisHolder.address)) - l1Before, withdrawn.genesis, 'and pays nothing')
})

t.test('a tampered storage proof is refused by the portal; the true one proves', async (t) => {
  const l2Receipt = await initiate(pendingHolder, withdrawn.pending)
  const args = await buildProve(h, pendingHolder, withdrawalOf(l2Receipt), l2Receipt.blockNumber)
  t.equal(await h.l1.getWithdrawalStatus({ receipt: l2Receipt, targetChain: h.l2Chain }), 'ready-to-prove', 'viem status: ready-to-prove')
  const proof = [...args.withdrawalProof]
  // flip one byte inside the leaf: its hash no longer matches the branch above it
  const leaf = proof.at(-1)!
  proof[proof.length - 1] = `${leaf.slice(0, -2)}${leaf.endsWith('00') ? '01' : '00'}` as Hex
  await t.rejects(
    h
      .l1Wallet(pendingHolder)
      .proveWithdrawal({ ...args, withdrawalProof: proof, targetChain: h.l2Chain, gas: 1_000_000n })
      .then(async (hash) => {
        const receipt = await h.l1.waitForTransactionReceipt({ hash })
        if (receipt.status !== 'success') throw new Error('reverted')
      }),
    'prove with a tampered proof reverts',
  )
  await prove(h, args)
  t.equal(await h.l1.getWithdrawalStatus({ receipt: l2Receipt, targetChain: h.l2Chain }), 'waiting-to-finalize', 'viem status after the true proof')
})

t.test('supply invariant to the wei: L2 supply = genesis + minted − withdrawn = portal balance() − withdrawals not yet finalized', async (t) => {
  const s = await l2Supply(h)
  t.same(s.problems, [], 'the head state walks complete')
  t.equal(s.minted, deposited, 'the one user deposit minted X')
  t.equal(s.withdrawals.length, 3, 'three withdrawals')
  t.equal(
    s.withdrawals.reduce((sum, w) => sum + w.value, 0n),
    withdrawn.depositor + withdrawn.genesis + withdrawn.pending,
    'MessagePassed values',
  )
  t.equal(s.passerBalance, withdrawn.depositor + withdrawn.genesis + withdrawn.pending, 'the message passer holds what was withdrawn (nothing burned yet)')
  t.equal(s.supply, s.genesisSupply + s.minted - s.withdrawn, 'Σ balances − message passer = genesis supply + Σ mint − Σ withdrawn')
  // L1: the portal counts OPEN in at deposit and out at finalize; a proven withdrawal still counts
  const pending = await pendingOnL1(s.withdrawals.map((w) => w.withdrawalHash))
  t.equal(pending.length, 1, 'one withdrawal proven and not finalized')
  const unfinalized = s.withdrawals.filter((w) => pending.includes(w.withdrawalHash)).reduce((sum, w) => sum + w.value, 0n)
  t.equal(unfinalized, withdrawn.pending, 'its value')
  const portal = await h.l1.readContract({ address: h.rollup.depositContract, abi: L1_BRIDGE_ABI, functionName: 'balance' })
  t.equal(s.supply, portal - unfinalized, "L2 supply = the portal's balance() − OPEN withdrawn on L2 and not yet finalized on L1")
  t.equal(s.genesisSupply, s.genesisLock, 'the genesis supply = the OPEN locked in the portal at the L1 genesis block')
})

/** Of these withdrawal hashes, those the portal has not finalized. */
async function pendingOnL1(hashes: Hex[]): Promise<Hex[]> {
  const done = await Promise.all(
    hashes.map((hash) => h.l1.readContract({ address: h.rollup.depositContract, abi: L1_BRIDGE_ABI, functionName: 'finalizedWithdrawals', args: [hash] })),
  )
  return hashes.filter((_, i) => !done[i])
}

/** The portal call that finalizes `w`, for simulateContract. */
function finalizeCall(w: ReturnType<typeof withdrawalOf>) {
  return {
    address: h.rollup.depositContract,
    abi: L1_BRIDGE_ABI,
    functionName: 'finalizeWithdrawalTransaction' as const,
    args: [{ nonce: w.nonce, sender: w.sender, target: w.target, value: w.value, gasLimit: w.gasLimit, data: w.data }] as const,
  }
}
