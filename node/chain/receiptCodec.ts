import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToInt, intToUnpaddedBytes } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { Common } from '@ethereumjs/common'
import { decodeRlp, encodeRlp } from '../../runtime/index.ts'
import type { TxLog, TxReceipt } from '../../runtime/index.ts'

const EMPTY = new Uint8Array(0)
// op-geth's CanyonDepositReceiptVersion: every deposit receipt of this chain has it
const DEPOSIT_RECEIPT_VERSION = 1n

/**
 * A block's receipts as stored: RLP list of [txHash, type, from, to, status, cumulativeGasUsed,
 * gasUsed, effectiveGasPrice, contractAddress, logs], a deposit's (0x7E) with its depositNonce
 * as an 11th field (its receipt version is 1 by type). Blooms are not stored (recomputed on read)
 * and log / tx indexes follow from positions.
 */
export function encodeReceipts(receipts: TxReceipt[]): Uint8Array {
  return encodeRlp(
    receipts.map((r) => {
      const fields = [
        r.txHash,
        intToUnpaddedBytes(r.txType),
        r.from,
        r.to ?? EMPTY,
        intToUnpaddedBytes(r.status),
        bigIntToUnpaddedBytes(r.cumulativeGasUsed),
        bigIntToUnpaddedBytes(r.gasUsed),
        bigIntToUnpaddedBytes(r.effectiveGasPrice),
        r.contractAddress ?? EMPTY,
        r.logs.map((l) => [l.address, l.topics, l.data]),
      ]
      if (r.depositNonce !== undefined) fields.push(bigIntToUnpaddedBytes(r.depositNonce))
      return fields
    }),
  )
}

const bytesAt = (list: unknown[], i: number): Uint8Array => {
  const v = list[i]
  if (!(v instanceof Uint8Array)) throw new TypeError(`receipt field ${i} is not a byte string`)
  return v
}

/** A receipt's logs with their tx: all a log query reads of a block's receipts. */
export type ReceiptLogs = Pick<TxReceipt, 'txHash' | 'txIndex' | 'logs'>

// the stored list, each receipt checked to be a list of 10 fields (11 for a deposit)
function receiptItems(encoded: Uint8Array): unknown[][] {
  // views, not copies: RLP.decode's copies were most of decoding 1,000 blocks' receipts for eth_getLogs
  const list = decodeRlp(encoded)
  if (!Array.isArray(list)) throw new TypeError('receipts must be an RLP list')
  for (const item of list) {
    if (!Array.isArray(item) || (item.length !== 10 && item.length !== 11)) throw new TypeError('receipt must be a list of 10 or 11 fields')
  }
  return list as unknown[][]
}

// a receipt's logs; block-wide log indexes start at `firstLogIndex`
function receiptLogs(item: unknown[], firstLogIndex: number): TxLog[] {
  const rawLogs = item[9]
  if (!Array.isArray(rawLogs)) throw new TypeError('receipt logs must be a list')
  return rawLogs.map((raw, i) => {
    if (!Array.isArray(raw) || raw.length !== 3 || !Array.isArray(raw[1])) throw new TypeError('log must be [address, topics, data]')
    const topics = (raw[1] as unknown[]).map((_, k) => bytesAt(raw[1] as unknown[], k))
    return { address: bytesAt(raw, 0), topics, data: bytesAt(raw, 2), logIndex: firstLogIndex + i }
  })
}

/**
 * The logs of stored receipts with their tx hash and index, as {@link decodeReceipts} gives them
 * but without the other fields and the blooms (a keccak per address and topic): what eth_getLogs
 * reads. Throws TypeError on a damaged encoding.
 */
export function decodeReceiptLogs(encoded: Uint8Array): ReceiptLogs[] {
  let logIndex = 0
  return receiptItems(encoded).map((item, txIndex) => {
    const logs = receiptLogs(item, logIndex)
    logIndex += logs.length
    return { txHash: bytesAt(item, 0), txIndex, logs }
  })
}

/** Inverse of {@link encodeReceipts}; throws TypeError on a damaged encoding. */
export function decodeReceipts(encoded: Uint8Array, common: Common): TxReceipt[] {
  let logIndex = 0
  return receiptItems(encoded).map((item, txIndex) => {
    const logs = receiptLogs(item, logIndex)
    logIndex += logs.length
    const bloom = new Bloom(undefined, common)
    for (const l of logs) {
      bloom.add(l.address)
      for (const t of l.topics) bloom.add(t)
    }
    const to = bytesAt(item, 3)
    const contractAddress = bytesAt(item, 8)
    const receipt: TxReceipt = {
      txHash: bytesAt(item, 0),
      txIndex,
      txType: bytesToInt(bytesAt(item, 1)),
      from: bytesAt(item, 2),
      to: to.length === 0 ? undefined : to,
      status: bytesToInt(bytesAt(item, 4)) === 0 ? 0 : 1,
      cumulativeGasUsed: bytesToBigInt(bytesAt(item, 5)),
      gasUsed: bytesToBigInt(bytesAt(item, 6)),
      effectiveGasPrice: bytesToBigInt(bytesAt(item, 7)),
      contractAddress: contractAddress.length === 0 ? undefined : contractAddress,
      logsBloom: bloom.bitvector,
      logs,
    }
    if (item.length === 11) {
      receipt.depositNonce = bytesToBigInt(bytesAt(item, 10))
      receipt.depositReceiptVersion = DEPOSIT_RECEIPT_VERSION
    }
    return receipt
  })
}
