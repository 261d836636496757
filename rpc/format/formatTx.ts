import type { BlockHeader } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { isDepositTx } from '../../runtime/index.ts'
import type { DepositTx } from '../../runtime/index.ts'
import { bytesToBigInt, toHex, toQuantity } from '../hex.ts'

/** Where a tx was mined (absent for pooled txs). */
export type TxPosition = { blockHash: Uint8Array; blockNumber: bigint; blockTimestamp: bigint; index: number; baseFee: bigint | undefined }

/** The position of the `index`-th tx of the block with this header. */
export function txPosition(header: BlockHeader, index: number): TxPosition {
  return { blockHash: header.hash(), blockNumber: header.number, blockTimestamp: header.timestamp, index, baseFee: header.baseFeePerGas }
}

/** Loose view of the typed-tx fields that only some tx types carry. */
type TxFields = {
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  chainId?: bigint
  accessList?: [Uint8Array, Uint8Array[]][]
  authorizationList?: Uint8Array[][]
  maxFeePerBlobGas?: bigint
  blobVersionedHashes?: Uint8Array[]
}

/** Access list bytes -> RPC JSON. */
export function formatAccessList(list: [Uint8Array, Uint8Array[]][]): { address: string; storageKeys: string[] }[] {
  return list.map(([address, keys]) => ({ address: toHex(address), storageKeys: keys.map(toHex) }))
}

/** Effective gas price of a tx in a block with the given base fee. */
export function effectiveGasPrice(tx: TypedTransaction, baseFee: bigint | undefined): bigint {
  if (isDepositTx(tx)) return 0n
  const f = tx as unknown as TxFields
  if (f.maxFeePerGas === undefined || f.maxPriorityFeePerGas === undefined) return f.gasPrice ?? 0n
  if (baseFee === undefined) return f.maxFeePerGas
  const tip = f.maxFeePerGas - baseFee
  return baseFee + (tip < f.maxPriorityFeePerGas ? tip : f.maxPriorityFeePerGas)
}

/**
 * A transaction as eth_getTransactionByHash returns it (execution-apis TransactionInfo).
 * `from` is passed in when known (receipts carry it) to avoid a signature recovery;
 * `depositNonce` (from the receipt) is a deposit's nonce.
 */
export function formatTx(tx: TypedTransaction, pos: TxPosition | undefined, from?: Uint8Array, depositNonce?: bigint): Record<string, unknown> {
  if (isDepositTx(tx)) return formatDepositTx(tx, pos, depositNonce)
  const f = tx as unknown as TxFields
  const sender = from ?? tx.getSenderAddress().bytes
  const out: Record<string, unknown> = {
    ...positionFields(pos),
    from: toHex(sender),
    gas: toQuantity(tx.gasLimit),
    gasPrice: toQuantity(f.maxFeePerGas === undefined ? (f.gasPrice ?? 0n) : pos === undefined ? f.maxFeePerGas : effectiveGasPrice(tx, pos.baseFee)),
    // an unsigned tx (eth_fillTransaction) hashes as geth's: its encoding with a zero signature
    hash: toHex(tx.isSigned() ? tx.hash() : keccak_256(tx.serialize())),
    input: toHex(tx.data),
    nonce: toQuantity(tx.nonce),
    to: tx.to === undefined ? null : toHex(tx.to.bytes),
    transactionIndex: pos === undefined ? null : toQuantity(pos.index),
    value: toQuantity(tx.value),
    type: toQuantity(tx.type),
  }
  if (f.maxFeePerGas !== undefined) out.maxFeePerGas = toQuantity(f.maxFeePerGas)
  if (f.maxPriorityFeePerGas !== undefined) out.maxPriorityFeePerGas = toQuantity(f.maxPriorityFeePerGas)
  if (f.maxFeePerBlobGas !== undefined) out.maxFeePerBlobGas = toQuantity(f.maxFeePerBlobGas)
  if (f.blobVersionedHashes !== undefined) out.blobVersionedHashes = f.blobVersionedHashes.map(toHex)
  if (f.accessList !== undefined) out.accessList = formatAccessList(f.accessList)
  if (f.authorizationList !== undefined) {
    out.authorizationList = f.authorizationList.map((a) => ({
      chainId: toQuantity(bytesToBigInt(a[0]!)),
      address: toHex(a[1]!),
      nonce: toQuantity(bytesToBigInt(a[2]!)),
      yParity: toQuantity(bytesToBigInt(a[3]!)),
      r: toQuantity(bytesToBigInt(a[4]!)),
      s: toQuantity(bytesToBigInt(a[5]!)),
    }))
  }
  if (tx.type === 0) {
    if (tx.supports(155)) out.chainId = toQuantity(tx.common.chainId())
  } else if (f.chainId !== undefined) {
    out.chainId = toQuantity(f.chainId)
  }
  const v = tx.v ?? 0n
  out.v = toQuantity(v)
  out.r = toQuantity(tx.r ?? 0n)
  out.s = toQuantity(tx.s ?? 0n)
  if (tx.type !== 0) out.yParity = toQuantity(v)
  return out
}

/**
 * A deposit (0x7E) as op-geth serves it: no signature (v, r, s zero), gas price 0, the nonce the
 * depositor had before it (the receipt's depositNonce), and sourceHash, mint, isSystemTx.
 */
function formatDepositTx(tx: DepositTx, pos: TxPosition | undefined, depositNonce: bigint | undefined): Record<string, unknown> {
  return {
    ...positionFields(pos),
    from: toHex(tx.from.bytes),
    gas: toQuantity(tx.gasLimit),
    gasPrice: '0x0',
    hash: toHex(tx.hash()),
    input: toHex(tx.data),
    nonce: toQuantity(depositNonce ?? 0n),
    to: tx.to === undefined ? null : toHex(tx.to.bytes),
    transactionIndex: pos === undefined ? null : toQuantity(pos.index),
    value: toQuantity(tx.value),
    type: '0x7e',
    sourceHash: toHex(tx.sourceHash),
    mint: toQuantity(tx.mint),
    isSystemTx: tx.isSystemTx,
    ...(depositNonce === undefined ? {} : { depositReceiptVersion: '0x1' }),
    v: '0x0',
    r: '0x0',
    s: '0x0',
  }
}

function positionFields(pos: TxPosition | undefined): Record<string, string | null> {
  return {
    blockHash: pos === undefined ? null : toHex(pos.blockHash),
    blockNumber: pos === undefined ? null : toQuantity(pos.blockNumber),
    // geth (2025) and execution-apis TransactionInfo; null while pending (PendingTransactionInfo)
    blockTimestamp: pos === undefined ? null : toQuantity(pos.blockTimestamp),
  }
}
