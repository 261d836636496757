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
 * A secp256k1 public-key recovery as Common.customCrypto.ecrecover answers it: the 64-byte
 * uncompressed key (no 0x04 prefix) for recovery id `v` (0 or 1 here); throws when none recovers.
 */
export type SealEcrecover = (msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array) => Uint8Array

/**
 * The lowercase 0x address that made `seal` over (chainId, blockHash). Throws
 * SYNC_ERROR_INVALID_SEAL on a malformed seal: not 65 bytes, v not 0 or 1, r or s out of range,
 * high s (only low-s seals are valid, so a seal has one form), or no point recovers. The recovery
 * is `ecrecover` when given (the chain's native libsecp256k1, node/crypto: ~0.1 ms against
 * @noble's ~1.5 ms, on the import path of every synced block), else @noble's; the checks are
 * the same either way.
 *
 * @example
 * if (recoverSealer(spec.chainId, block.hash(), seal, chain.common.customCrypto.ecrecover) !== spec.sequencer.toLowerCase()) reject()
 */
export function recoverSealer(chainId: bigint, blockHash: Uint8Array, seal: Uint8Array, ecrecover?: SealEcrecover): string {
  if (seal.length !== SEAL_LENGTH) throw invalidSeal('a seal is 65 bytes', { length: seal.length })
  const v = seal[64]!
  if (v !== 0 && v !== 1) throw invalidSeal('seal recovery id must be 0 or 1', { v })
  let signature: ReturnType<typeof secp256k1.Signature.fromBytes>
  try {
    signature = secp256k1.Signature.fromBytes(seal.subarray(0, 64), 'compact')
  } catch (cause) {
    throw invalidSeal('seal r or s is out of range', {}, cause)
  }
  if (signature.hasHighS()) throw invalidSeal('seal s is not low', {})
  const digest = sealDigest(chainId, blockHash)
  let publicKey: Uint8Array
  try {
    publicKey =
      ecrecover === undefined
        ? signature.addRecoveryBit(v).recoverPublicKey(digest).toBytes(false).subarray(1)
        : ecrecover(digest, BigInt(v), seal.subarray(0, 32), seal.subarray(32, 64))
  } catch (cause) {
    throw invalidSeal('seal does not recover to a public key', {}, cause)
  }
  return bytesToHex(keccak_256(publicKey).subarray(12))
}

function invalidSeal(message: string, meta: Record<string, unknown>, cause?: unknown): OpenLedgerError {
  return new OpenLedgerError(SYNC_ERROR.INVALID_SEAL, message, meta, cause === undefined ? undefined : { cause })
}
