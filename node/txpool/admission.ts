import { getMinimumGasLimit } from '@ethereumjs/tx'
import type { TypedTransaction } from '@ethereumjs/tx'
import { OpenLedgerError } from '../../runtime/index.ts'
import type { FeeCaps } from './fees.ts'
import type { AccountView, HeadView } from './headView.ts'
import type { PoolEntry, SenderQueue } from './poolEntry.ts'
import { TXPOOL_ERROR } from './txPoolErrors.ts'
import type { TxPoolErrorCode } from './txPoolErrors.ts'

function txError(code: TxPoolErrorCode, message: string, meta: Record<string, unknown>): OpenLedgerError {
  return new OpenLedgerError(code, message, meta)
}

/**
 * The checks that need the head but not the sender's account: gas limit within the block gas
 * limit and above the intrinsic gas (EIP-7623 floor and EIP-7702 authorizations included), tip
 * at least `minTip`, max fee at least the next block's base fee.
 */
export function checkAgainstHead(tx: TypedTransaction, caps: FeeCaps, head: HeadView, minTip: bigint): void {
  if (tx.gasLimit > head.gasLimit) {
    throw txError(TXPOOL_ERROR.GAS_LIMIT_EXCEEDED, 'tx gas limit exceeds the block gas limit', {
      gasLimit: tx.gasLimit,
      blockGasLimit: head.gasLimit,
    })
  }
  const minGas = getMinimumGasLimit(tx)
  if (tx.gasLimit < minGas) {
    throw txError(TXPOOL_ERROR.INTRINSIC_GAS_TOO_LOW, 'tx gas limit below its intrinsic gas', { gasLimit: tx.gasLimit, intrinsicGas: minGas })
  }
  if (caps.tipCap < minTip) {
    throw txError(TXPOOL_ERROR.UNDERPRICED, 'tx priority fee below the pool minimum', { tip: caps.tipCap, minTip })
  }
  if (caps.feeCap < head.nextBaseFee) {
    throw txError(TXPOOL_ERROR.UNDERPRICED, 'tx max fee below the current base fee', { maxFee: caps.feeCap, baseFee: head.nextBaseFee })
  }
}

/** The nonce window: at least the account nonce, at most `maxNonceGap` above it. */
export function checkNonce(nonce: bigint, account: AccountView, maxNonceGap: bigint): void {
  if (nonce < account.nonce) {
    throw txError(TXPOOL_ERROR.NONCE_TOO_LOW, 'tx nonce too low', { nonce, accountNonce: account.nonce })
  }
  if (nonce > account.nonce + maxNonceGap) {
    throw txError(TXPOOL_ERROR.NONCE_TOO_HIGH, 'tx nonce too far above the account nonce', {
      nonce,
      accountNonce: account.nonce,
      maxGap: maxNonceGap,
    })
  }
}

/**
 * Funds, geth's overdraft rule (core/txpool/validation.go ValidateTransactionWithState):
 * the balance must cover this tx's cost (value + gasLimit * maxFee) on its own
 * (TXPOOL_ERROR_INSUFFICIENT_FUNDS), and also together with the sender's pending txs that
 * execute before it, i.e. those with lower nonces (TXPOOL_ERROR_OVERDRAFT). A replacement
 * (`replaced`, a pending tx of the same nonce) swaps its cost for the new one, and the sender's
 * pending txs above it stay behind it, so they count too. Without this a sender could fill the
 * pool with txs that each look affordable but cannot all execute.
 */
export function checkFunds(cost: bigint, nonce: bigint, account: AccountView, sender: SenderQueue | undefined, replaced: PoolEntry | undefined): void {
  if (account.balance < cost) {
    throw txError(TXPOOL_ERROR.INSUFFICIENT_FUNDS, 'insufficient funds for value + gasLimit * maxFee', { balance: account.balance, cost })
  }
  if (sender === undefined) return
  const replacesPending = replaced?.isPending
  let queuedCost = 0n
  for (let i = 0; i < sender.pending; i++) {
    const entry = sender.txs[i]!
    // stale entries (already mined) leave at the next recount
    if (entry.nonce < account.nonce || entry.nonce === nonce) continue
    if (entry.nonce < nonce || replacesPending) queuedCost += entry.cost
  }
  if (account.balance < queuedCost + cost) {
    throw txError(
      TXPOOL_ERROR.OVERDRAFT,
      `insufficient funds for gas * price + value: balance ${account.balance}, queued cost ${queuedCost}, overshot ${queuedCost + cost - account.balance}`,
      { balance: account.balance, queuedCost, cost },
    )
  }
}
