import type { Common } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import { Capability, TransactionType, createTxFromRLP } from '@ethereumjs/tx'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToBigInt } from '@ethereumjs/util'
import { OpenLedgerError } from '../errors.ts'
import { DEPOSIT_TX_TYPE } from '../l2/depositTx.ts'
import { TX_ERROR } from './txErrors.ts'

/** Options of {@link decodeTx} and {@link validateTx}. */
export type TxRulesOptions = {
  /** accept legacy txs without EIP-155 replay protection (v = 27/28); off by default */
  allowUnprotected: boolean
}

/** Defaults of {@link TxRulesOptions}: EIP-155 replay protection required. */
export const defaultTxRulesOptions: TxRulesOptions = { allowUnprotected: false }

/** The tx types this chain executes: legacy, EIP-2930, EIP-1559, EIP-7702. Blob txs are not among them. */
export const SUPPORTED_TX_TYPES: readonly number[] = [
  TransactionType.Legacy,
  TransactionType.AccessListEIP2930,
  TransactionType.FeeMarketEIP1559,
  TransactionType.EOACodeEIP7702,
]

const blobUnsupported = (): OpenLedgerError =>
  new OpenLedgerError(TX_ERROR.BLOB_UNSUPPORTED, 'blob transactions are not supported', { type: TransactionType.BlobEIP4844 })

// secp256k1 group order; EIP-2 caps s at n/2
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

/**
 * Signature fields (the last three of every signed encoding) outside what can ever recover:
 * r or s zero or >= n, s > n/2 (EIP-2), typed y-parity other than 0/1. Refused as
 * INVALID_SIGNATURE before the tx object is built (ethereumjs would throw a generic error).
 */
function checkSignatureShape(fields: unknown[], typed: boolean): void {
  const [v, r, s] = fields.slice(-3)
  if (!(v instanceof Uint8Array) || !(r instanceof Uint8Array) || !(s instanceof Uint8Array)) return
  if (r.length === 0 && s.length === 0) return // unsigned: reported as UNSIGNED later
  const rv = bytesToBigInt(r)
  const sv = bytesToBigInt(s)
  const bad = (reason: string) => new OpenLedgerError(TX_ERROR.INVALID_SIGNATURE, `invalid transaction signature: ${reason}`, {})
  if (rv === 0n || rv >= SECP256K1_N || sv === 0n || sv >= SECP256K1_N) throw bad('r or s out of range')
  if (sv > SECP256K1_N / 2n) throw bad('s above n/2 (EIP-2)')
  if (typed && bytesToBigInt(v) > 1n) throw bad('y parity must be 0 or 1')
}

/** What a raw tx declares before it is built: its type and chain id ('unprotected' = legacy v 27/28). */
function peekRaw(raw: Uint8Array): { type: number; chainId: bigint | 'unprotected' } {
  if (raw.length === 0) throw new OpenLedgerError(TX_ERROR.MALFORMED, 'empty transaction', {})
  const first = raw[0] as number
  // EIP-2718: a first byte <= 0x7f is a type byte, >= 0xc0 starts a legacy RLP list
  if (first >= 0xc0) {
    const fields = RLP.decode(raw)
    if (!Array.isArray(fields) || fields.length !== 9 || !(fields[6] instanceof Uint8Array)) {
      throw new OpenLedgerError(TX_ERROR.MALFORMED, 'legacy transaction must be an RLP list of 9 byte strings', {})
    }
    checkSignatureShape(fields, false)
    const v = bytesToBigInt(fields[6])
    if (v === 27n || v === 28n) return { type: TransactionType.Legacy, chainId: 'unprotected' }
    if (v < 35n) throw new OpenLedgerError(TX_ERROR.INVALID_SIGNATURE, 'legacy transaction has an invalid v value', { v: v.toString() })
    return { type: TransactionType.Legacy, chainId: (v - 35n) / 2n }
  }
  if (first > 0x7f) throw new OpenLedgerError(TX_ERROR.MALFORMED, 'not a transaction encoding', { firstByte: first })
  if (first === TransactionType.BlobEIP4844) throw blobUnsupported()
  if (first === DEPOSIT_TX_TYPE) {
    throw new OpenLedgerError(
      TX_ERROR.UNSUPPORTED_TYPE,
      'deposit transactions (type 0x7e) are made by the sequencer from L1 deposits and cannot be submitted',
      { type: first },
    )
  }
  if (!SUPPORTED_TX_TYPES.includes(first)) {
    throw new OpenLedgerError(TX_ERROR.UNSUPPORTED_TYPE, `transaction type ${first} is not supported`, { type: first })
  }
  const fields = RLP.decode(raw.subarray(1))
  if (!Array.isArray(fields) || fields.length === 0 || !(fields[0] instanceof Uint8Array)) {
    throw new OpenLedgerError(TX_ERROR.MALFORMED, `type ${first} transaction payload must be an RLP list`, { type: first })
  }
  checkSignatureShape(fields, true)
  return { type: first, chainId: bytesToBigInt(fields[0]) }
}

function checkChainId(declared: bigint | 'unprotected', common: Common, options: TxRulesOptions): void {
  if (declared === 'unprotected') {
    if (!options.allowUnprotected) {
      throw new OpenLedgerError(TX_ERROR.NOT_EIP155, 'legacy transaction without EIP-155 replay protection', {})
    }
    return
  }
  if (declared !== common.chainId()) {
    throw new OpenLedgerError(TX_ERROR.WRONG_CHAIN_ID, 'transaction is signed for another chain', {
      chainId: declared.toString(),
      expected: common.chainId().toString(),
    })
  }
}

/**
 * Static checks on a decoded tx: supported type (no blobs), chain id, EIP-155 for legacy txs,
 * signature present and recoverable. Recovers the sender once; the public key stays cached on
 * the (frozen) tx object, so later execution does not pay for it again.
 *
 * @example
 * validateTx(tx, common) // throws OpenLedgerError(TX_ERROR_*)
 */
export function validateTx(tx: TypedTransaction, common: Common, options: TxRulesOptions = defaultTxRulesOptions): void {
  if (tx.type === TransactionType.BlobEIP4844) throw blobUnsupported()
  if (!SUPPORTED_TX_TYPES.includes(tx.type)) {
    throw new OpenLedgerError(TX_ERROR.UNSUPPORTED_TYPE, `transaction type ${tx.type} is not supported`, { type: tx.type })
  }
  if (tx.type === TransactionType.Legacy && !tx.supports(Capability.EIP155ReplayProtection)) {
    checkChainId('unprotected', common, options)
  }
  if (tx.common.chainId() !== common.chainId()) {
    throw new OpenLedgerError(TX_ERROR.WRONG_CHAIN_ID, 'transaction is signed for another chain', {
      chainId: tx.common.chainId().toString(),
      expected: common.chainId().toString(),
    })
  }
  if (!tx.isSigned()) throw new OpenLedgerError(TX_ERROR.UNSIGNED, 'transaction is not signed', {})
  try {
    tx.getSenderPublicKey()
  } catch (cause) {
    throw new OpenLedgerError(TX_ERROR.INVALID_SIGNATURE, 'invalid transaction signature', {}, { cause })
  }
}

/**
 * Decode a raw signed tx (RLP legacy or EIP-2718 typed) with the chain's Common and validate it
 * statically (see {@link validateTx}). Every refusal is an OpenLedgerError with a
 * {@link TX_ERROR} code; blob txs get "blob transactions are not supported".
 *
 * @example
 * const tx = decodeTx(hexToBytes(rawHex), chain.common)
 * tx.getSenderAddress() // cached, no second recovery
 */
export function decodeTx(raw: Uint8Array, common: Common, options: TxRulesOptions = defaultTxRulesOptions): TypedTransaction {
  let declared: { type: number; chainId: bigint | 'unprotected' }
  try {
    declared = peekRaw(raw)
  } catch (err) {
    if (err instanceof OpenLedgerError) throw err
    throw new OpenLedgerError(TX_ERROR.MALFORMED, 'transaction is not valid RLP', {}, { cause: err })
  }
  checkChainId(declared.chainId, common, options)
  let tx: TypedTransaction
  try {
    tx = createTxFromRLP(raw, { common })
  } catch (cause) {
    throw new OpenLedgerError(TX_ERROR.MALFORMED, 'malformed transaction', { type: declared.type }, { cause })
  }
  validateTx(tx, common, options)
  return tx
}
