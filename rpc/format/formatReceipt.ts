import type { BlockHeader } from '@ethereumjs/block'
import type { TxReceipt } from '../../runtime/index.ts'
import { toHex, toQuantity } from '../hex.ts'

/** Block context of a receipt and its logs (a mined log carries its block's timestamp, as geth's since 2025). */
export type ReceiptBlock = { blockHash: Uint8Array; blockNumber: bigint; blockTimestamp: bigint }

/** The {@link ReceiptBlock} of a block's header. */
export function receiptBlock(header: BlockHeader): ReceiptBlock {
  return { blockHash: header.hash(), blockNumber: header.number, blockTimestamp: header.timestamp }
}

/** One log inside a receipt or an eth_getLogs answer (execution-apis Log). */
export function formatLog(
  log: { address: Uint8Array; topics: Uint8Array[]; data: Uint8Array; logIndex: number },
  b: ReceiptBlock,
  txHash: Uint8Array,
  txIndex: number,
  removed = false,
): Record<string, unknown> {
  return {
    address: toHex(log.address),
    topics: log.topics.map(toHex),
    data: toHex(log.data),
    blockNumber: toQuantity(b.blockNumber),
    transactionHash: toHex(txHash),
    transactionIndex: toQuantity(txIndex),
    blockHash: toHex(b.blockHash),
    blockTimestamp: toQuantity(b.blockTimestamp),
    logIndex: toQuantity(log.logIndex),
    removed,
  }
}

/**
 * A receipt as eth_getTransactionReceipt returns it (execution-apis ReceiptInfo; no blob fields).
 * The receipt itself has no blockTimestamp (neither the spec's ReceiptInfo nor geth's); its logs do.
 */
export function formatReceipt(r: TxReceipt, b: ReceiptBlock): Record<string, unknown> {
  const out: Record<string, unknown> = {
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
    logs: r.logs.map((l) => formatLog(l, b, r.txHash, r.txIndex)),
    logsBloom: toHex(r.logsBloom),
    status: toQuantity(r.status),
    effectiveGasPrice: toQuantity(r.effectiveGasPrice),
  }
  // deposit receipts (0x7E), as op-geth: the depositor's nonce before it and the receipt version
  if (r.depositNonce !== undefined) out.depositNonce = toQuantity(r.depositNonce)
  if (r.depositReceiptVersion !== undefined) out.depositReceiptVersion = toQuantity(r.depositReceiptVersion)
  return out
}
