import type { Block } from '@ethereumjs/block'
import { isDepositTx } from '../../runtime/index.ts'
import type { TxReceipt } from '../../runtime/index.ts'
import { toHex, toQuantity } from '../hex.ts'
import { formatTx, txPosition } from './formatTx.ts'

/**
 * A block as eth_getBlockBy* returns it (execution-apis Block): post-merge header fields,
 * `transactions` as hashes or full objects, empty `uncles`, `withdrawals` when the fork has them.
 * `receipts` give full deposit txs (0x7E) their nonce.
 */
export function formatBlock(block: Block, hydrated: boolean, receipts?: readonly TxReceipt[]): Record<string, unknown> {
  const h = block.header
  const hash = block.hash()
  const out: Record<string, unknown> = {
    hash: toHex(hash),
    parentHash: toHex(h.parentHash),
    sha3Uncles: toHex(h.uncleHash),
    miner: toHex(h.coinbase.bytes),
    stateRoot: toHex(h.stateRoot),
    transactionsRoot: toHex(h.transactionsTrie),
    receiptsRoot: toHex(h.receiptTrie),
    logsBloom: toHex(h.logsBloom),
    difficulty: toQuantity(h.difficulty),
    number: toQuantity(h.number),
    gasLimit: toQuantity(h.gasLimit),
    gasUsed: toQuantity(h.gasUsed),
    timestamp: toQuantity(h.timestamp),
    extraData: toHex(h.extraData),
    mixHash: toHex(h.mixHash),
    nonce: toHex(h.nonce),
  }
  if (h.baseFeePerGas !== undefined) out.baseFeePerGas = toQuantity(h.baseFeePerGas)
  if (h.withdrawalsRoot !== undefined) out.withdrawalsRoot = toHex(h.withdrawalsRoot)
  if (h.blobGasUsed !== undefined) out.blobGasUsed = toQuantity(h.blobGasUsed)
  if (h.excessBlobGas !== undefined) out.excessBlobGas = toQuantity(h.excessBlobGas)
  if (h.parentBeaconBlockRoot !== undefined) out.parentBeaconBlockRoot = toHex(h.parentBeaconBlockRoot)
  if (h.requestsHash !== undefined) out.requestsHash = toHex(h.requestsHash)
  out.size = toQuantity(block.serialize().length)
  if (hydrated) {
    const pos = txPosition(h, 0)
    out.transactions = block.transactions.map((tx, index) => formatTx(tx, { ...pos, index }, undefined, receipts?.[index]?.depositNonce))
  } else {
    out.transactions = block.transactions.map((tx) => toHex(tx.hash()))
  }
  out.uncles = []
  if (block.withdrawals !== undefined) {
    out.withdrawals = block.withdrawals.map((w) => ({
      index: toQuantity(w.index),
      validatorIndex: toQuantity(w.validatorIndex),
      address: toHex(w.address.bytes),
      amount: toQuantity(w.amount),
    }))
  }
  return out
}

/**
 * {@link formatBlock} of a stored block: a hydrated block with deposit txs reads its receipts
 * for their nonces (other blocks never touch the receipts).
 */
export async function formatStoredBlock(
  block: Block,
  hydrated: boolean,
  getReceipts: (blockHash: Uint8Array) => Promise<TxReceipt[] | undefined>,
): Promise<Record<string, unknown>> {
  const receipts = hydrated && block.transactions.some(isDepositTx) ? await getReceipts(block.hash()) : undefined
  return formatBlock(block, hydrated, receipts)
}

/** The `index`-th tx of a stored block as eth_getTransactionBy* returns it (a deposit with its nonce). */
export async function formatStoredTx(
  block: Block,
  index: number,
  getReceipts: (blockHash: Uint8Array) => Promise<TxReceipt[] | undefined>,
): Promise<Record<string, unknown>> {
  const tx = block.transactions[index]!
  const depositNonce = isDepositTx(tx) ? (await getReceipts(block.hash()))?.[index]?.depositNonce : undefined
  return formatTx(tx, txPosition(block.header, index), undefined, depositNonce)
}
