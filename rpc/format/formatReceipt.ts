import type { TxReceipt } from '../../runtime/index.ts'
import { toHex, toQuantity } from '../hex.ts'

/** Block context of a receipt. */
export type ReceiptBlock = { blockHash: Uint8Array; blockNumber: bigint }

/** One log inside a receipt or an eth_getLogs answer (execution-apis Log). */
export function formatLog(
  log: { address: Uint8Array; topics: Uint8Array[]; data: Uint8Array; logIndex: number },
  blockHash: Uint8Array,
  blockNumber: bigint,
  txHash: Uint8Array,
  txIndex: number,
  removed = false,
): Record<string, unknown> {
  return {
    address: toHex(log.address),
    topics: log.topics.map(toHex),
    data: toHex(log.data),
    blockNumber: toQuantity(blockNumber),
    transactionHash: toHex(txHash),
    transactionIndex: toQuantity(txIndex),
    blockHash: toHex(blockHash),
    logIndex: toQuantity(log.logIndex),
    removed,
  }
}

/** A receipt as eth_getTransactionReceipt returns it (execution-apis ReceiptInfo; no blob fields). */
export function formatReceipt(r: TxReceipt, b: ReceiptBlock): Record<string, unknown> {
  return {
    type: toQuantity(r.txType),
    transactionHash: toHex(r.txHash),
    transactionIndex: toQuantity(r.txIndex),
    blockHash: toHex(b.blockHash),
    blockNumber: toQuantity(b.blockNumber),
    from: toHex(r.from),
    to: r.to === undefined ? null : toHex(r.to),
    cumulativeGasUsed: toQuantity(r.cumulativeGasUsed),
    gasUsed: toQuantity(r.gasUsed),
    contractAddress: r.contractAddress === undefined ? null : toHex(r.contractAddress),
    logs: r.logs.map((l) => formatLog(l, b.blockHash, b.blockNumber, r.txHash, r.txIndex)),
    logsBloom: toHex(r.logsBloom),
    status: toQuantity(r.status),
    effectiveGasPrice: toQuantity(r.effectiveGasPrice),
  }
}
