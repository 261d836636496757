import { Wallet } from '@ethereumjs/wallet'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { OpenLedgerError } from '../../runtime/index.ts'
import { CONFIG_ERROR } from './errors.ts'

/** A Web3 Secret Storage v3 document (geth / ethers / MetaMask keystore file). */
export type KeystoreV3 = {
  version: 3
  id: string
  address?: string
  crypto: {
    cipher: 'aes-128-ctr'
    cipherparams: { iv: string }
    ciphertext: string
    kdf: 'scrypt' | 'pbkdf2'
    kdfparams: Record<string, unknown>
    mac: string
  }
}

// Refuse parameters that would make decryption a memory/CPU bomb. geth's "standard" scrypt is
// n=2^18, r=8, p=1 (256 MiB); 2^20 allows its heaviest preset with headroom.
const MAX_SCRYPT_N = 1 << 20
const MAX_SCRYPT_R = 32
const MAX_SCRYPT_P = 16
const MAX_PBKDF2_C = 10_000_000
// The scrypt under @ethereumjs/wallet (noble-hashes) refuses to use more than 1 GiB + 1 KiB,
// 128 * r * (n + p) bytes: checked here so that the error names the field.
const MAX_SCRYPT_MEMORY = 1024 ** 3 + 1024

/** What @ethereumjs/wallet's `Wallet.fromV3` reads: lowercase hex without 0x, its MAC compare is on strings. */
type CheckedKeystore = {
  version: 3
  id: string
  crypto: {
    cipher: 'aes-128-ctr'
    cipherparams: { iv: string }
    ciphertext: string
    kdf: 'scrypt' | 'pbkdf2'
    kdfparams: { dklen: number; salt: string; n: number; r: number; p: number } | { dklen: number; salt: string; c: number; prf: 'hmac-sha256' }
    mac: string
  }
}

function invalid(message: string, field: string): OpenLedgerError {
  return new OpenLedgerError(CONFIG_ERROR.KEYSTORE_INVALID, `keystore: ${message}`, { field })
}

/** `value` as lowercase hex without 0x, of `bytes` bytes when given. */
function hexField(value: unknown, field: string, bytes?: number): string {
  if (typeof value !== 'string' || !/^(0x)?([0-9a-fA-F]{2})+$/.test(value)) throw invalid(`${field} must be hex`, field)
  const hex = value.replace(/^0x/, '').toLowerCase()
  if (bytes !== undefined && hex.length !== 2 * bytes) throw invalid(`${field} must be ${bytes} bytes`, field)
  return hex
}

function intField(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${field} must be an integer in [${min}, ${max}]`, field)
  }
  return value
}

function checkKdfParams(kdf: unknown, params: Record<string, unknown>): CheckedKeystore['crypto']['kdfparams'] {
  const dklen = intField(params.dklen, 'crypto.kdfparams.dklen', 32, 64)
  const salt = hexField(params.salt, 'crypto.kdfparams.salt')
  if (kdf === 'scrypt') {
    const n = intField(params.n, 'crypto.kdfparams.n', 2, MAX_SCRYPT_N)
    if ((n & (n - 1)) !== 0) throw invalid('crypto.kdfparams.n must be a power of 2', 'crypto.kdfparams.n')
    const r = intField(params.r, 'crypto.kdfparams.r', 1, MAX_SCRYPT_R)
    const p = intField(params.p, 'crypto.kdfparams.p', 1, MAX_SCRYPT_P)
    if (128 * r * (n + p) > MAX_SCRYPT_MEMORY) throw invalid('crypto.kdfparams.n and r need more than 1 GiB (128 * r * (n + p))', 'crypto.kdfparams.n')
    return { dklen, salt, n, r, p }
  }
  if (kdf === 'pbkdf2') {
    if (params.prf !== 'hmac-sha256') throw invalid('crypto.kdfparams.prf must be "hmac-sha256"', 'crypto.kdfparams.prf')
    return { dklen, salt, c: intField(params.c, 'crypto.kdfparams.c', 1, MAX_PBKDF2_C), prf: 'hmac-sha256' }
  }
  throw invalid('crypto.kdf must be "scrypt" or "pbkdf2"', 'crypto.kdf')
}

/**
 * Every field the library reads, checked (KEYSTORE_INVALID naming the field) and normalised: the
 * library gives its errors no code, so none of them may stand for a malformed document.
 */
function checkKeystore(json: unknown): CheckedKeystore {
  if (typeof json !== 'object' || json === null) throw invalid('must be a JSON object', '')
  const doc = json as Record<string, unknown>
  if (doc.version !== 3) throw invalid('version must be 3', 'version')
  // some older geth files spell it "Crypto"
  const c = (doc.crypto ?? doc.Crypto) as Record<string, unknown> | undefined
  if (typeof c !== 'object' || c === null) throw invalid('crypto must be an object', 'crypto')
  if (c.cipher !== 'aes-128-ctr') throw invalid('crypto.cipher must be "aes-128-ctr"', 'crypto.cipher')
  const cipherparams = c.cipherparams as Record<string, unknown> | undefined
  const iv = hexField(cipherparams?.iv, 'crypto.cipherparams.iv', 16)
  const ciphertext = hexField(c.ciphertext, 'crypto.ciphertext', 32)
  const mac = hexField(c.mac, 'crypto.mac', 32)
  if (typeof c.kdfparams !== 'object' || c.kdfparams === null) throw invalid('crypto.kdfparams must be an object', 'crypto.kdfparams')
  const kdfparams = checkKdfParams(c.kdf, c.kdfparams as Record<string, unknown>)
  const kdf = c.kdf as CheckedKeystore['crypto']['kdf']
  return { version: 3, id: String(doc.id ?? ''), crypto: { cipher: 'aes-128-ctr', cipherparams: { iv }, ciphertext, kdf, kdfparams, mac } }
}

/** Lowercase 0x address of a secp256k1 private key. */
export function addressOfKey(privateKey: Uint8Array): `0x${string}` {
  const pub = secp256k1.getPublicKey(privateKey, false)
  return `0x${bytesToHex(keccak_256(pub.subarray(1)).subarray(12))}`
}

/**
 * Decrypt a Web3 Secret Storage v3 keystore (scrypt or pbkdf2-hmac-sha256 KDF, aes-128-ctr,
 * keccak-256 MAC) to its 32-byte private key, with @ethereumjs/wallet. Malformed documents are
 * KEYSTORE_INVALID naming the field; a MAC mismatch is KEYSTORE_WRONG_PASSWORD. If the document
 * names an `address`, the key must match it. The password is NFKD-normalised, as geth and ethers do.
 *
 * @example
 * const key = await decryptKeystore(JSON.parse(readFileSync(file, 'utf8')), 'password')
 */
export async function decryptKeystore(json: unknown, password: string): Promise<Uint8Array> {
  const doc = checkKeystore(json)
  let wallet: Wallet
  try {
    wallet = await Wallet.fromV3(doc, password.normalize('NFKD'))
  } catch (err) {
    // With the document checked, the library fails only on a MAC mismatch, or (a hand-made file
    // whose MAC matches) on a plaintext that is no secp256k1 key; it gives no code to tell them apart.
    throw new OpenLedgerError(CONFIG_ERROR.KEYSTORE_WRONG_PASSWORD, 'keystore: wrong password (MAC mismatch)', {}, { cause: err })
  }
  const address = (json as { address?: unknown }).address
  if (typeof address === 'string' && address.replace(/^0x/, '').toLowerCase() !== bytesToHex(wallet.getAddress())) {
    throw invalid("the decrypted key does not belong to the document's address", 'address')
  }
  return wallet.getPrivateKey()
}

/** KDF choice for {@link encryptKeystore}; defaults are geth's standard scrypt (n=2^18, r=8, p=1). */
export type EncryptKeystoreOptions = { kdf: 'scrypt'; n: number; r: number; p: number } | { kdf: 'pbkdf2'; c: number }

/**
 * Encrypt a private key as a Web3 Secret Storage v3 document (random salt, iv and id), with
 * @ethereumjs/wallet. KDF parameters out of the range {@link decryptKeystore} accepts are
 * KEYSTORE_INVALID.
 *
 * @example
 * writeFileSync('key.json', JSON.stringify(await encryptKeystore(key, 'password')))
 */
export async function encryptKeystore(
  privateKey: Uint8Array,
  password: string,
  options: EncryptKeystoreOptions = { kdf: 'scrypt', n: 1 << 18, r: 8, p: 1 },
): Promise<KeystoreV3> {
  checkKdfParams(options.kdf, { dklen: 32, salt: '00', prf: 'hmac-sha256', ...options })
  const doc = await Wallet.fromPrivateKey(privateKey).toV3(password.normalize('NFKD'), options)
  // the library types cipher and kdf as strings and leaves out `address`, which it writes
  return doc as unknown as KeystoreV3
}
