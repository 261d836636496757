import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bigIntToBytes, bytesToHex, concatBytes, setLengthLeft } from '@ethereumjs/util'
import { OpenLedgerError } from '../../runtime/index.ts'
import { SYNC_ERROR } from './syncErrors.ts'

/** Bytes of a seal: r (32) ‖ s (32) ‖ v (1, 0 or 1). */
export const SEAL_LENGTH = 65

/**
 * The 32-byte digest a seal signs: keccak256(uint256 big-endian chainId ‖ block hash). The chain id
 * keeps a seal of one chain from being replayed on another with the same genesis.
 */
export function sealDigest(chainId: bigint, blockHash: Uint8Array): Uint8Array {
  return keccak_256(concatBytes(setLengthLeft(bigIntToBytes(chainId), 32), blockHash))
}

/**
 * The sequencer's seal of a block: a secp256k1 signature (RFC 6979, low s) over
 * {@link sealDigest}, as 65 bytes r ‖ s ‖ v with v the recovery bit (0 or 1).
 *
 * @example
 * const seal = sealBlockHash(spec.chainId, block.hash(), sequencerKey)
 */
export function sealBlockHash(chainId: bigint, blockHash: Uint8Array, privateKey: Uint8Array): Uint8Array {
  // noble's 'recovered' format puts the recovery byte first; the wire form puts it last
  const recovered = secp256k1.sign(sealDigest(chainId, blockHash), privateKey, { prehash: false, lowS: true, format: 'recovered' })
  return concatBytes(recovered.subarray(1), recovered.subarray(0, 1))
}

/**
 * The lowercase 0x address that made `seal` over (chainId, blockHash). Throws
 * SYNC_ERROR_INVALID_SEAL on a malformed seal: not 65 bytes, v not 0 or 1, r or s out of range,
 * high s (only low-s seals are valid, so a seal has one form), or no point recovers.
 *
 * @example
 * if (recoverSealer(spec.chainId, block.hash(), seal) !== spec.sequencer.toLowerCase()) reject()
 */
export function recoverSealer(chainId: bigint, blockHash: Uint8Array, seal: Uint8Array): string {
  if (seal.length !== SEAL_LENGTH) throw invalidSeal('a seal is 65 bytes', { length: seal.length })
  const v = seal[64]!
  if (v !== 0 && v !== 1) throw invalidSeal('seal recovery id must be 0 or 1', { v })
  let publicKey: Uint8Array
  try {
    const signature = secp256k1.Signature.fromBytes(seal.subarray(0, 64), 'compact')
    if (signature.hasHighS()) throw invalidSeal('seal s is not low', {})
    publicKey = signature.addRecoveryBit(v).recoverPublicKey(sealDigest(chainId, blockHash)).toBytes(false)
  } catch (cause) {
    if (cause instanceof OpenLedgerError) throw cause
    throw invalidSeal('seal does not recover to a public key', {}, cause)
  }
  return bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12))
}

function invalidSeal(message: string, meta: Record<string, unknown>, cause?: unknown): OpenLedgerError {
  return new OpenLedgerError(SYNC_ERROR.INVALID_SEAL, message, meta, cause === undefined ? undefined : { cause })
}
