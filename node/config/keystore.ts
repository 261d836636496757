import { createCipheriv, createDecipheriv, pbkdf2, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { OpenLedgerError } from '../../runtime/index.ts'
import { CONFIG_ERROR } from './errors.ts'

const scryptAsync = promisify(scrypt) as (pw: Uint8Array, salt: Uint8Array, len: number, o: object) => Promise<Buffer>
const pbkdf2Async = promisify(pbkdf2)

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

function invalid(message: string, field: string): OpenLedgerError {
  return new OpenLedgerError(CONFIG_ERROR.KEYSTORE_INVALID, `keystore: ${message}`, { field })
}

function hexField(value: unknown, field: string, bytes?: number): Uint8Array {
  if (typeof value !== 'string' || !/^(0x)?([0-9a-fA-F]{2})+$/.test(value)) throw invalid(`${field} must be hex`, field)
  const out = hexToBytes(value.replace(/^0x/, ''))
  if (bytes !== undefined && out.length !== bytes) throw invalid(`${field} must be ${bytes} bytes`, field)
  return out
}

function intField(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${field} must be an integer in [${min}, ${max}]`, field)
  }
  return value
}

async function deriveKey(kdf: unknown, params: Record<string, unknown>, password: Uint8Array): Promise<Uint8Array> {
  const dklen = intField(params.dklen, 'crypto.kdfparams.dklen', 32, 64)
  const salt = hexField(params.salt, 'crypto.kdfparams.salt')
  if (kdf === 'scrypt') {
    const n = intField(params.n, 'crypto.kdfparams.n', 2, MAX_SCRYPT_N)
    if ((n & (n - 1)) !== 0) throw invalid('crypto.kdfparams.n must be a power of 2', 'crypto.kdfparams.n')
    const r = intField(params.r, 'crypto.kdfparams.r', 1, MAX_SCRYPT_R)
    const p = intField(params.p, 'crypto.kdfparams.p', 1, MAX_SCRYPT_P)
    return new Uint8Array(await scryptAsync(password, salt, dklen, { N: n, r, p, maxmem: 256 * r * n + 64 * 1024 * 1024 }))
  }
  if (kdf === 'pbkdf2') {
    if (params.prf !== 'hmac-sha256') throw invalid('crypto.kdfparams.prf must be "hmac-sha256"', 'crypto.kdfparams.prf')
    const c = intField(params.c, 'crypto.kdfparams.c', 1, MAX_PBKDF2_C)
    return new Uint8Array(await pbkdf2Async(password, salt, c, dklen, 'sha256'))
  }
  throw invalid('crypto.kdf must be "scrypt" or "pbkdf2"', 'crypto.kdf')
}

function macOf(derived: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const data = new Uint8Array(16 + ciphertext.length)
  data.set(derived.subarray(16, 32), 0)
  data.set(ciphertext, 16)
  return keccak_256(data)
}

/** Lowercase 0x address of a secp256k1 private key. */
export function addressOfKey(privateKey: Uint8Array): `0x${string}` {
  const pub = secp256k1.getPublicKey(privateKey, false)
  return `0x${bytesToHex(keccak_256(pub.subarray(1)).subarray(12))}`
}

/**
 * Decrypt a Web3 Secret Storage v3 keystore (scrypt or pbkdf2-hmac-sha256 KDF, aes-128-ctr,
 * keccak-256 MAC) to its 32-byte private key. Malformed documents are KEYSTORE_INVALID; a MAC
 * mismatch is KEYSTORE_WRONG_PASSWORD. If the document names an `address`, the key must match it.
 *
 * @example
 * const key = await decryptKeystore(JSON.parse(readFileSync(file, 'utf8')), 'password')
 */
export async function decryptKeystore(json: unknown, password: string): Promise<Uint8Array> {
  if (typeof json !== 'object' || json === null) throw invalid('must be a JSON object', '')
  const doc = json as Record<string, unknown>
  if (doc.version !== 3) throw invalid('version must be 3', 'version')
  const c = (doc.crypto ?? doc.Crypto) as Record<string, unknown> | undefined
  if (typeof c !== 'object' || c === null) throw invalid('crypto must be an object', 'crypto')
  if (c.cipher !== 'aes-128-ctr') throw invalid('crypto.cipher must be "aes-128-ctr"', 'crypto.cipher')
  const cipherparams = c.cipherparams as Record<string, unknown> | undefined
  const iv = hexField(cipherparams?.iv, 'crypto.cipherparams.iv', 16)
  const ciphertext = hexField(c.ciphertext, 'crypto.ciphertext', 32)
  const mac = hexField(c.mac, 'crypto.mac', 32)
  if (typeof c.kdfparams !== 'object' || c.kdfparams === null) throw invalid('crypto.kdfparams must be an object', 'crypto.kdfparams')
  const derived = await deriveKey(c.kdf, c.kdfparams as Record<string, unknown>, new TextEncoder().encode(password.normalize('NFKD')))
  if (!timingSafeEqual(macOf(derived, ciphertext), mac)) {
    throw new OpenLedgerError(CONFIG_ERROR.KEYSTORE_WRONG_PASSWORD, 'keystore: wrong password (MAC mismatch)', {})
  }
  const decipher = createDecipheriv('aes-128-ctr', derived.subarray(0, 16), iv)
  const key = new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]))
  if (!secp256k1.utils.isValidSecretKey(key)) throw invalid('decrypted key is not a valid secp256k1 private key', 'crypto.ciphertext')
  if (typeof doc.address === 'string' && doc.address.replace(/^0x/, '').toLowerCase() !== addressOfKey(key).slice(2)) {
    throw invalid("the decrypted key does not belong to the document's address", 'address')
  }
  return key
}

/** KDF choice for {@link encryptKeystore}; defaults are geth's standard scrypt (n=2^18, r=8, p=1). */
export type EncryptKeystoreOptions = { kdf: 'scrypt'; n: number; r: number; p: number } | { kdf: 'pbkdf2'; c: number }

/**
 * Encrypt a private key as a Web3 Secret Storage v3 document (random salt, iv and id).
 *
 * @example
 * writeFileSync('key.json', JSON.stringify(await encryptKeystore(key, 'password')))
 */
export async function encryptKeystore(
  privateKey: Uint8Array,
  password: string,
  options: EncryptKeystoreOptions = { kdf: 'scrypt', n: 1 << 18, r: 8, p: 1 },
): Promise<KeystoreV3> {
  const salt = randomBytes(32)
  const iv = randomBytes(16)
  const kdfparams: Record<string, unknown> =
    options.kdf === 'scrypt'
      ? { dklen: 32, n: options.n, r: options.r, p: options.p, salt: bytesToHex(salt) }
      : { dklen: 32, c: options.c, prf: 'hmac-sha256', salt: bytesToHex(salt) }
  const derived = await deriveKey(options.kdf, kdfparams, new TextEncoder().encode(password.normalize('NFKD')))
  const cipher = createCipheriv('aes-128-ctr', derived.subarray(0, 16), iv)
  const ciphertext = new Uint8Array(Buffer.concat([cipher.update(privateKey), cipher.final()]))
  return {
    version: 3,
    id: randomUUID(),
    address: addressOfKey(privateKey).slice(2),
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: bytesToHex(iv) },
      ciphertext: bytesToHex(ciphertext),
      kdf: options.kdf,
      kdfparams,
      mac: bytesToHex(macOf(derived, ciphertext)),
    },
  }
}
