import type { TypedTransaction } from '@ethereumjs/tx'
import type { RunTxResult } from '@ethereumjs/vm'
import { txSender } from '../tx/txCache.ts'
import type { TxLog, TxReceipt } from '../types.ts'

/**
 * The persisted receipt of one executed tx: the consensus receipt (status, cumulative gas, bloom,
 * logs) plus what wallets need (gasUsed, effectiveGasPrice, contractAddress, logIndex).
 * `firstLogIndex` is the number of logs earlier txs of the block emitted; `keccak256` (the
 * chain's customCrypto one) hashes the sender's cached public key into its address once per tx.
 */
export function toTxReceipt(
  tx: TypedTransaction,
  result: RunTxResult,
  txIndex: number,
  baseFee: bigint,
  firstLogIndex: number,
  keccak256: (data: Uint8Array) => Uint8Array,
): TxReceipt {
  const receipt = result.receipt
  const logs: TxLog[] = receipt.logs.map(([address, topics, data], i) => ({ address, topics, data, logIndex: firstLogIndex + i }))
  return {
    txHash: tx.hash(),
    txIndex,
    txType: tx.type,
    from: txSender(tx, keccak256).bytes,
    to: tx.to?.bytes,
    status: 'status' in receipt && receipt.status === 0 ? 0 : 1,
    cumulativeGasUsed: receipt.cumulativeBlockGasUsed,
    gasUsed: result.totalGasSpent,
    effectiveGasPrice: tx.getEffectivePriorityFee(baseFee) + baseFee,
    contractAddress: result.createdAddress?.bytes,
    logsBloom: receipt.bitvector,
    logs,
  }
}
