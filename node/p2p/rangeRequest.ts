import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes } from '@ethereumjs/util'
import { OpenLedgerError } from '../../runtime/index.ts'
import { P2P_ERROR } from './p2pErrors.ts'
import { decodeRlpFields, decodeUint64 } from './rlpFields.ts'

/** A blocks_by_range request: blocks start..start+count-1. */
export type RangeRequest = { start: bigint; count: number }

/**
 * The result code that opens every blocks_by_range response (one length-prefixed frame of one
 * byte). Only SUCCESS is followed by block chunks.
 */
export const RANGE_RESULT = {
  SUCCESS: 0,
  /** the request did not decode, or asked for zero blocks */
  INVALID_REQUEST: 1,
  /** the requester spent its per-peer block budget; try later */
  RATE_LIMITED: 2,
  /** the server failed to read its own chain */
  SERVER_ERROR: 3,
} as const
/** One of {@link RANGE_RESULT}. */
export type RangeResult = (typeof RANGE_RESULT)[keyof typeof RANGE_RESULT]

/** RLP([start, count]), the request frame of /openledger/<chainId>/req/blocks_by_range/1. */
export function encodeRangeRequest(request: RangeRequest): Uint8Array {
  return RLP.encode([bigIntToUnpaddedBytes(request.start), bigIntToUnpaddedBytes(BigInt(request.count))])
}

/** Inverse of {@link encodeRangeRequest}; a count of 0 or above 2^32-1 is malformed (P2P_ERROR_MALFORMED_MESSAGE). */
export function decodeRangeRequest(data: Uint8Array): RangeRequest {
  const [start, count] = decodeRlpFields(data, 2, 'range request')
  const n = decodeUint64(count!, 'range request count')
  if (n === 0n || n > 0xffffffffn) throw new OpenLedgerError(P2P_ERROR.MALFORMED_MESSAGE, 'range request count is out of range', { count: n })
  return { start: decodeUint64(start!, 'range request start'), count: Number(n) }
}
