// The user flows of the bridge e2e tests, as a wallet drives them with viem: an OPEN deposit
// through OptimismPortal.depositERC20Transaction, and a withdrawal proven and finalized on L1.
import { parseAbi, parseEventLogs } from 'viem'
import type { Hex, PrivateKeyAccount, TransactionReceipt } from 'viem'
import { getL2TransactionHashes, getWithdrawals } from 'viem/op-stack'
import type { GetL2OutputReturnType } from 'viem/op-stack'
import { poll } from '../../fixtures/poll.ts'
import { L1_BRIDGE_ABI } from './bridgeHarness.ts'
import type { BridgeHarness } from './bridgeHarness.ts'

/** Gas of the approve and the deposit, sent together (the deposit cannot be estimated before the approve is mined); measured ~50k and ~95k on anvil 1.7.1. */
const APPROVE_GAS = 100_000n
const DEPOSIT_GAS = 300_000n
/** A deposit's L1 block, then the L2 block whose origin it is: a few seconds with both chains at a block a second. */
export const DEPOSIT_TIMEOUT_MS = 20_000

/** What {@link depositOpen} sent and what L2 hash viem predicts for it. */
export type OpenDeposit = { l1Receipt: TransactionReceipt; l2Hash: Hex }

/**
 * approve + OptimismPortal.depositERC20Transaction(to, mint, value, gasLimit, false, data) from
 * `account` on L1 (both in one L1 block); resolves with the L1 receipt (which must succeed) and
 * the L2 deposit hash viem's getL2TransactionHashes derives from it.
 */
export async function depositOpen(
  h: Pick<BridgeHarness, 'l1' | 'l1Wallet' | 'rollup' | 'open'>,
  account: PrivateKeyAccount,
  deposit: { to: Hex; mint: bigint; value?: bigint; gasLimit?: bigint; data?: Hex },
): Promise<OpenDeposit> {
  const wallet = h.l1Wallet(account)
  const nonce = await h.l1.getTransactionCount({ address: account.address, blockTag: 'pending' })
  const portal = h.rollup.depositContract
  await wallet.writeContract({ address: h.open, abi: L1_BRIDGE_ABI, functionName: 'approve', args: [portal, deposit.mint], gas: APPROVE_GAS, nonce })
  const hash = await wallet.writeContract({
    address: portal,
    abi: L1_BRIDGE_ABI,
    functionName: 'depositERC20Transaction',
    args: [deposit.to, deposit.mint, deposit.value ?? 0n, deposit.gasLimit ?? 100_000n, false, deposit.data ?? '0x'],
    gas: DEPOSIT_GAS,
    nonce: nonce + 1,
  })
  const l1Receipt = await h.l1.waitForTransactionReceipt({ hash, timeout: DEPOSIT_TIMEOUT_MS })
  if (l1Receipt.status !== 'success') throw new Error(`depositOpen: L1 deposit ${hash} reverted`)
  const hashes = getL2TransactionHashes(l1Receipt)
  if (hashes.length !== 1) throw new Error(`depositOpen: ${hashes.length} TransactionDeposited logs in ${hash}`)
  return { l1Receipt, l2Hash: hashes[0]! }
}

/** The L2 receipt of a deposit, once the sequencer has included it. */
export function waitForL2(h: Pick<BridgeHarness, 'l2'>, hash: Hex) {
  return h.l2.waitForTransactionReceipt({ hash, timeout: DEPOSIT_TIMEOUT_MS })
}

/** A withdrawal as viem reads it from MessagePassed (viem/op-stack does not export the type). */
export type Withdrawal = ReturnType<typeof getWithdrawals>[number]

const ORACLE_ABI = parseAbi([
  'function computeL2Timestamp(uint256 l2BlockNumber) view returns (uint256)',
  'function latestBlockNumber() view returns (uint256)',
])
/** L2OutputOracle's finalization period on --dev.l1 (node/l1/deployL1.ts defaultDeployL1Options), plus the one second it wants past it. */
export const FINALIZATION_WARP_S = 13
/** Gas of finalizeWithdrawalTransaction: a fixed amount, not an estimate, so the relayed call always gets its minimum gas; measured ~200k for a bridge relay. */
const FINALIZE_GAS = 1_000_000n
/** The proposer posts a round a second on --dev.l1; an output a few rounds after L1 time allows it. */
const OUTPUT_TIMEOUT_MS = 20_000

/**
 * Move both chains' clocks `seconds` ahead (anvil evm_increaseTime + evm_mine on L1, the node's
 * evm_increaseTime on L2): L2OutputOracle and the portal read L1 time, and an L2 clock left
 * behind would hold back the next L1 origins (and their deposits) by as much.
 */
export async function warp(h: BridgeHarness, seconds: number): Promise<void> {
  await h.l1.increaseTime({ seconds })
  await h.l1.mine({ blocks: 1 })
  await h.l2.request({ method: 'evm_increaseTime' as never, params: [seconds] as never })
}

/**
 * The L2OutputOracle output covering L2 block `l2BlockNumber`, once the node's proposer has posted
 * it. The oracle takes an output only when its computed L2 time (L2 genesis + n × blockTime) is
 * behind L1 time; blocks built on demand (automine) run ahead of that, so L1 is warped first.
 */
export async function waitForOutput(h: BridgeHarness, l2BlockNumber: bigint): Promise<GetL2OutputReturnType> {
  const [due, l1Head] = await Promise.all([
    h.l1.readContract({ address: h.rollup.l2OutputOracle, abi: ORACLE_ABI, functionName: 'computeL2Timestamp', args: [l2BlockNumber] }),
    h.l1.getBlock({ blockTag: 'latest' }),
  ])
  if (due >= l1Head.timestamp) await warp(h, Number(due - l1Head.timestamp) + 1)
  const covered = () =>
    h.l1.readContract({ address: h.rollup.l2OutputOracle, abi: ORACLE_ABI, functionName: 'latestBlockNumber' }).then((latest) => latest >= l2BlockNumber)
  await poll(covered, { timeoutMs: OUTPUT_TIMEOUT_MS, intervalMs: 100, what: `an L2 output at or after block ${l2BlockNumber}` })
  return h.l1.getL2Output({ l2BlockNumber, targetChain: h.l2Chain })
}

/** The one withdrawal (MessagePassed) of an L2 receipt. */
export function withdrawalOf(receipt: TransactionReceipt): Withdrawal {
  const withdrawals = getWithdrawals(receipt)
  if (withdrawals.length !== 1) throw new Error(`withdrawalOf: ${withdrawals.length} MessagePassed logs in ${receipt.transactionHash}`)
  return withdrawals[0]!
}

/** The prove arguments viem builds for `withdrawal` from our node's eth_getProof, once an output covers `l2BlockNumber`. */
export async function buildProve(h: BridgeHarness, account: PrivateKeyAccount, withdrawal: Withdrawal, l2BlockNumber: bigint) {
  const output = await waitForOutput(h, l2BlockNumber)
  return h.l2.buildProveWithdrawal({ account, output, withdrawal })
}

/** Prove on L1 (the receipt must succeed). */
export async function prove(h: BridgeHarness, args: Awaited<ReturnType<typeof buildProve>>): Promise<TransactionReceipt> {
  const hash = await h.l1Wallet(args.account as PrivateKeyAccount).proveWithdrawal({ ...args, targetChain: h.l2Chain })
  const receipt = await h.l1.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`prove: ${hash} reverted`)
  return receipt
}

/** finalizeWithdrawalTransaction on L1 from `account` (fixed gas); the receipt, success or not. */
export async function finalize(h: BridgeHarness, account: PrivateKeyAccount, withdrawal: Withdrawal): Promise<TransactionReceipt> {
  const hash = await h.l1Wallet(account).finalizeWithdrawal({ withdrawal, targetChain: h.l2Chain, gas: FINALIZE_GAS })
  return h.l1.waitForTransactionReceipt({ hash })
}

/**
 * The whole L1 side of a withdrawal initiated in `l2Receipt`: wait for an output, prove (viem's
 * buildProveWithdrawal reads our eth_getProof), warp past the finalization period, finalize.
 * Returns the withdrawal, the finalize receipt and its WithdrawalFinalized event.
 */
export async function proveAndFinalize(h: BridgeHarness, account: PrivateKeyAccount, l2Receipt: TransactionReceipt) {
  const withdrawal = withdrawalOf(l2Receipt)
  await prove(h, await buildProve(h, account, withdrawal, l2Receipt.blockNumber))
  await warp(h, FINALIZATION_WARP_S)
  const receipt = await finalize(h, account, withdrawal)
  const finalized = parseEventLogs({ abi: L1_BRIDGE_ABI, eventName: 'WithdrawalFinalized', logs: receipt.logs })
  return { withdrawal, receipt, finalized }
}
