import type { TxReceipt as VmTxReceipt } from '@ethereumjs/vm'
import { bigIntToBytes } from '@ethereumjs/util'
import type { NestedUint8Array } from '@ethereumjs/rlp'
import { encodeRlp } from './encodeRlp.ts'

const LEGACY = 0
const STATUS_FAILED = new Uint8Array(0)
const STATUS_OK = Uint8Array.of(1)

/**
 * The consensus encoding of a receipt (the receipt trie's values): RLP [status or post-state
 * root, cumulative gas, bloom, logs], prefixed with the tx type for typed txs (EIP-2718). Same
 * bytes as @ethereumjs/vm encodeReceipt (tested), encoded in one buffer ({@link encodeRlp}).
 *
 * @example
 * encodedReceipts.push(encodeTxReceipt(result.receipt, tx.type))
 */
export function encodeTxReceipt(receipt: VmTxReceipt, txType: number): Uint8Array {
  return encodeTypedReceipt(txType, receiptFields(receipt))
}

/** The four base fields of a receipt's consensus RLP list: status (or post-state root), cumulative gas, bloom, logs. */
export function receiptFields(receipt: VmTxReceipt): NestedUint8Array {
  // pre-Byzantium receipts carry the post-state root instead of a status (never on this chain)
  const first = (receipt as { stateRoot?: Uint8Array }).stateRoot ?? ((receipt as { status: number }).status === 0 ? STATUS_FAILED : STATUS_OK)
  return [first, bigIntToBytes(receipt.cumulativeBlockGasUsed), receipt.bitvector, receipt.logs as unknown as NestedUint8Array]
}

/** RLP(fields), prefixed with `txType` unless it is a legacy (type 0) receipt (EIP-2718). */
export function encodeTypedReceipt(txType: number, fields: NestedUint8Array): Uint8Array {
  const body = encodeRlp(fields)
  if (txType === LEGACY) return body
  const out = new Uint8Array(body.length + 1)
  out[0] = txType
  out.set(body, 1)
  return out
}
