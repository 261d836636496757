import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes } from '@ethereumjs/util'
import { decodeHash, decodeRlpFields, decodeUint64 } from './rlpFields.ts'

/** What each side of the status exchange announces. */
export type StatusMessage = { genesisHash: Uint8Array; headNumber: bigint; headHash: Uint8Array }

/** RLP([genesisHash, headNumber, headHash]): the request and the answer of /openledger/<chainId>/req/status/1. */
export function encodeStatus(status: StatusMessage): Uint8Array {
  return RLP.encode([status.genesisHash, bigIntToUnpaddedBytes(status.headNumber), status.headHash])
}

/** Inverse of {@link encodeStatus}; throws P2P_ERROR_MALFORMED_MESSAGE on any other shape. */
export function decodeStatus(data: Uint8Array): StatusMessage {
  const [genesisHash, headNumber, headHash] = decodeRlpFields(data, 3, 'status')
  return {
    genesisHash: decodeHash(genesisHash!, 'status genesis hash'),
    headNumber: decodeUint64(headNumber!, 'status head number'),
    headHash: decodeHash(headHash!, 'status head hash'),
  }
}
