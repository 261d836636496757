import type { Block } from '@ethereumjs/block'
import { toHex, toQuantity } from '../hex.ts'
import { formatTx, txPosition } from './formatTx.ts'

/**
 * A block as eth_getBlockBy* returns it (execution-apis Block): post-merge header fields,
 * `transactions` as hashes or full objects, empty `uncles`, `withdrawals` when the fork has them.
 */
export function formatBlock(block: Block, hydrated: boolean): Record<string, unknown> {
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
    out.transactions = block.transactions.map((tx, index) => formatTx(tx, { ...pos, index }))
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
