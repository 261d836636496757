import type { TxReceipt as VmTxReceipt } from '@ethereumjs/vm'
import { bigIntToUnpaddedBytes } from '@ethereumjs/util'
import { encodeTypedReceipt, receiptFields } from '../block/encodeTxReceipt.ts'
import { DEPOSIT_TX_TYPE } from './depositTx.ts'

/** depositReceiptVersion of every receipt from Canyon on (op-geth CanyonDepositReceiptVersion). */
export const DEPOSIT_RECEIPT_VERSION = 1n

/**
 * The consensus encoding of a deposit's receipt (Canyon): 0x7E ‖ RLP([status, cumulativeGasUsed,
 * bloom, logs, depositNonce, depositReceiptVersion = 1]) — the base receipt's fields
 * ({@link receiptFields}) plus the two deposit fields, through the one RLP encoder.
 *
 * @example
 * encodedReceipts.push(encodeDepositReceipt(result.receipt, result.depositNonce))
 */
export function encodeDepositReceipt(receipt: VmTxReceipt, depositNonce: bigint): Uint8Array {
  return encodeTypedReceipt(DEPOSIT_TX_TYPE, [...receiptFields(receipt), bigIntToUnpaddedBytes(depositNonce), bigIntToUnpaddedBytes(DEPOSIT_RECEIPT_VERSION)])
}
