import { RLP } from '@ethereumjs/rlp'
import { bytesToBigInt } from '@ethereumjs/util'
import { OpenLedgerError } from '../../runtime/index.ts'
import { P2P_ERROR } from './p2pErrors.ts'

/**
 * Decode an RLP list of exactly `length` byte strings, or throw P2P_ERROR_MALFORMED_MESSAGE
 * naming `what`. The one strict reader of the request/response frames (status, range request).
 */
export function decodeRlpFields(data: Uint8Array, length: number, what: string): Uint8Array[] {
  let decoded: unknown
  try {
    decoded = RLP.decode(data)
  } catch (err) {
    throw new OpenLedgerError(P2P_ERROR.MALFORMED_MESSAGE, `${what} is not RLP`, { what }, { cause: err })
  }
  if (!Array.isArray(decoded) || decoded.length !== length || !decoded.every((f) => f instanceof Uint8Array)) {
    throw new OpenLedgerError(P2P_ERROR.MALFORMED_MESSAGE, `${what} is not a list of ${length} byte strings`, { what })
  }
  return decoded as Uint8Array[]
}

/** A canonical RLP unsigned integer of at most 8 bytes (no leading zero), or P2P_ERROR_MALFORMED_MESSAGE. */
export function decodeUint64(field: Uint8Array, what: string): bigint {
  if (field.length > 8 || (field.length > 0 && field[0] === 0)) {
    throw new OpenLedgerError(P2P_ERROR.MALFORMED_MESSAGE, `${what} is not a canonical 64-bit integer`, { what })
  }
  return field.length === 0 ? 0n : bytesToBigInt(field)
}

/** A 32-byte hash field, or P2P_ERROR_MALFORMED_MESSAGE. */
export function decodeHash(field: Uint8Array, what: string): Uint8Array {
  if (field.length !== 32) throw new OpenLedgerError(P2P_ERROR.MALFORMED_MESSAGE, `${what} is not 32 bytes`, { what })
  return field
}
