import type { TypedTransaction } from '@ethereumjs/tx'
import { isDepositTx } from '../l2/depositTx.ts'
import { DEPOSIT_RECEIPT_VERSION } from '../l2/encodeDepositReceipt.ts'
import type { DepositTxResult } from '../l2/runDepositTx.ts'
import { txSender } from '../tx/txCache.ts'
import type { TxLog, TxReceipt } from '../types.ts'
import type { BlockTx, BlockTxResult } from './executeBlockTx.ts'

/**
 * The persisted receipt of one executed tx: the consensus receipt (status, cumulative gas, bloom,
 * logs) plus what wallets need (gasUsed, effectiveGasPrice, contractAddress, logIndex).
 * `firstLogIndex` is the number of logs earlier txs of the block emitted; `keccak256` (the
 * chain's customCrypto one) hashes the sender's cached public key into its address once per tx.
 * A deposit's receipt has its depositor as `from`, effectiveGasPrice 0, its depositNonce and
 * depositReceiptVersion 1, and for a creation the address derived from (from, depositNonce).
 */
export function toTxReceipt(
  tx: BlockTx,
  result: BlockTxResult,
  txIndex: number,
  baseFee: bigint,
  firstLogIndex: number,
  keccak256: (data: Uint8Array) => Uint8Array,
): TxReceipt {
  const receipt = result.receipt
  const logs: TxLog[] = receipt.logs.map(([address, topics, data], i) => ({ address, topics, data, logIndex: firstLogIndex + i }))
  const common = {
    txHash: tx.hash(),
    txIndex,
    txType: tx.type,
    to: tx.to?.bytes,
    status: 'status' in receipt && receipt.status === 0 ? (0 as const) : (1 as const),
    cumulativeGasUsed: receipt.cumulativeBlockGasUsed,
    gasUsed: result.totalGasSpent,
    contractAddress: result.createdAddress?.bytes,
    logsBloom: receipt.bitvector,
    logs,
  }
  if (isDepositTx(tx)) {
    const deposit = result as DepositTxResult
    return { ...common, from: tx.from.bytes, effectiveGasPrice: 0n, depositNonce: deposit.depositNonce, depositReceiptVersion: DEPOSIT_RECEIPT_VERSION }
  }
  const signed = tx as TypedTransaction
  return { ...common, from: txSender(signed, keccak256).bytes, effectiveGasPrice: signed.getEffectivePriorityFee(baseFee) + baseFee }
}
