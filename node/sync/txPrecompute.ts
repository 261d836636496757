import { RLP } from '@ethereumjs/rlp'
import type { Common } from '@ethereumjs/common'
import { createTxFromBlockBodyData } from '@ethereumjs/tx'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { ChainSpec } from '../../genesis/index.ts'
import { DEPOSIT_TX_TYPE, createChainCommon, txEncoding } from '../../runtime/index.ts'
import { createFastCrypto } from '../crypto/index.ts'

/**
 * What the import worker computed for one block's txs, index-aligned with the block body: per tx
 * a flag byte, a fixed-size record and its encoding (`enc[offsets[i]..offsets[i + 1]]`).
 * Transferable (four ArrayBuffers), so it crosses threads without a copy.
 */
export type PrecomputedTxs = { flags: Uint8Array; fixed: Uint8Array; enc: Uint8Array; offsets: Uint32Array }

/** Bytes per tx in {@link PrecomputedTxs.fixed}: public key 64 ‖ tx hash 32 ‖ sender address 20. */
export const PRECOMPUTED_RECORD = 116
/** Offsets inside one record of {@link PrecomputedTxs.fixed}. */
export const PRECOMPUTED_AT = { key: 0, hash: 64, sender: 96 } as const
/** {@link PrecomputedTxs.flags} bits: ENCODED = encoding and hash filled; RECOVERED = public key and sender filled. */
export const PRECOMPUTED_FLAG = { ENCODED: 1, RECOVERED: 2 } as const

/**
 * The Common the worker decodes with: the chain's own, as the chain builds it (createChainCommon
 * of the same spec with fast crypto: native libsecp256k1 and hash-wasm keccak). The spec's alloc
 * is not needed (and not sent to the worker).
 */
export async function createPrecomputeCommon(spec: ChainSpec): Promise<Common> {
  const { crypto } = await createFastCrypto()
  return createChainCommon(spec, { customCrypto: crypto })
}

/**
 * For a block's RLP, what its import would compute per signed tx on the main thread: the
 * encoding (tx.serialize()), the hash (keccak256 of it, as tx.hash()), the sender's public key
 * (tx.getSenderPublicKey(): recovery of the signing hash) and the sender's address (keccak256 of
 * the key). The same ethereumjs decode of the same bytes with an equivalent Common, so the values
 * are those the main thread's tx objects would compute. Deposits (0x7E), entries ethereumjs
 * refuses and unrecoverable signatures are left unflagged (the main thread decides, with its own
 * errors). Never throws: bytes that are not a block give an empty result.
 *
 * @example
 * const pre = precomputeBlockTxs(blockRlp, await createPrecomputeCommon(spec))
 */
export function precomputeBlockTxs(raw: Uint8Array, common: Common): PrecomputedTxs {
  const keccak256 = common.customCrypto.keccak256
  if (keccak256 === undefined) throw new TypeError('precomputeBlockTxs needs a Common with customCrypto.keccak256')
  let body: unknown[] = []
  try {
    const values = RLP.decode(raw)
    if (Array.isArray(values) && Array.isArray(values[1])) body = values[1]
  } catch {
    // not a block: the main thread's decode refuses it with its own error
  }
  const count = body.length
  const flags = new Uint8Array(count)
  const fixed = new Uint8Array(count * PRECOMPUTED_RECORD)
  const offsets = new Uint32Array(count + 1)
  const encodings: Uint8Array[] = []
  let size = 0
  for (let i = 0; i < count; i++) {
    offsets[i] = size
    const item = body[i]
    if (item instanceof Uint8Array && item[0] === DEPOSIT_TX_TYPE) continue
    let tx: TypedTransaction
    try {
      tx = createTxFromBlockBodyData(item as Parameters<typeof createTxFromBlockBodyData>[0], { common })
    } catch {
      continue
    }
    const encoding = txEncoding(tx)
    encodings.push(encoding)
    size += encoding.length
    const record = i * PRECOMPUTED_RECORD
    fixed.set(keccak256(encoding), record + PRECOMPUTED_AT.hash)
    flags[i] = PRECOMPUTED_FLAG.ENCODED
    let key: Uint8Array
    try {
      key = tx.getSenderPublicKey()
    } catch {
      continue
    }
    fixed.set(key, record + PRECOMPUTED_AT.key)
    fixed.set(keccak256(key).subarray(12), record + PRECOMPUTED_AT.sender)
    flags[i] = (flags[i] ?? 0) | PRECOMPUTED_FLAG.RECOVERED
  }
  offsets[count] = size
  const enc = new Uint8Array(size)
  let at = 0
  for (const encoding of encodings) {
    enc.set(encoding, at)
    at += encoding.length
  }
  return { flags, fixed, enc, offsets }
}
