import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { DevSigner } from '../ports/index.ts'
import { RPC_ERROR, RpcError } from '../errors.ts'
import { hexToBytesUnchecked } from '../hex.ts'

/** A dev account as the signer needs it (genesis DEV_ACCOUNTS fit). */
export type DevKey = { address: string; privateKey: string }

const utf8 = new TextEncoder()

/** EIP-191 version 0x45 digest: keccak256("\x19Ethereum Signed Message:\n" + len + message). */
export function personalMessageDigest(message: Uint8Array): Uint8Array {
  const prefix = utf8.encode(`\x19Ethereum Signed Message:\n${message.length}`)
  const buf = new Uint8Array(prefix.length + message.length)
  buf.set(prefix)
  buf.set(message, prefix.length)
  return keccak_256(buf)
}

/** Sign a 32-byte digest: r || s || v with v = 27 + recovery id (the eth_sign format). */
export function signDigestWithKey(digest: Uint8Array, key: Uint8Array): Uint8Array {
  const sig = secp256k1.sign(digest, key, { prehash: false, format: 'recovered' })
  // noble's "recovered" format puts the recovery byte first
  const out = new Uint8Array(65)
  out.set(sig.subarray(1, 65), 0)
  out[64] = 27 + sig[0]!
  return out
}

/**
 * The --dev signer over well-known dev keys: personal messages, EIP-712 digests and txs.
 *
 * @example
 * const signer = createDevSigner(DEV_ACCOUNTS)
 * const sig = signer.signMessage(signer.accounts()[0], new TextEncoder().encode('hello'))
 */
export function createDevSigner(keys: readonly DevKey[]): DevSigner {
  const byAddress = new Map<string, Uint8Array>()
  for (const k of keys) byAddress.set(k.address.toLowerCase(), hexToBytesUnchecked(k.privateKey))
  const addresses = [...byAddress.keys()]
  const key = (address: string): Uint8Array => {
    const k = byAddress.get(address)
    if (k === undefined) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'unknown account')
    return k
  }
  return {
    accounts: () => addresses,
    signMessage: (address, message) => signDigestWithKey(personalMessageDigest(message), key(address)),
    signDigest: (address, digest) => signDigestWithKey(digest, key(address)),
    signTransaction: (address, tx: TypedTransaction) => tx.sign(key(address)),
  }
}
