import { createRequire } from 'node:module'
import type { CustomCrypto } from '@ethereumjs/common'
import { calculateSigRecovery, concatBytes, ecrecover as nobleEcrecover, setLengthLeft } from '@ethereumjs/util'
import { createKeccak, createSHA256 } from 'hash-wasm'
import { pino } from 'pino'
import type { Logger } from 'pino'
import { OpenLedgerError } from '../../runtime/index.ts'
import { childLogger } from '../logger.ts'
import { CRYPTO_ERROR } from './cryptoErrors.ts'

/** Which implementation serves each primitive. */
export type CryptoBackends = { ecrecover: 'libsecp256k1' | 'noble'; keccak256: 'hash-wasm'; sha256: 'hash-wasm' }

/** Options of {@link createFastCrypto}. */
export type FastCryptoOptions = {
  /** use @noble ecrecover (with a warning) when the native addon does not load; else throw */
  allowNobleFallback: boolean
  /** parent logger; logs as "node:crypto" */
  logger?: Logger
}

/** Defaults of {@link FastCryptoOptions}. */
export const defaultFastCryptoOptions: FastCryptoOptions = { allowNobleFallback: true }

/** The subset of npm `secp256k1`'s native API we use. */
type NativeSecp256k1 = {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean, output?: Uint8Array): Uint8Array
}

/**
 * Load libsecp256k1 through npm `secp256k1`'s bindings entry: unlike its index.js, that entry
 * does not fall back silently to pure-JS `elliptic` when the prebuilt addon fails to load.
 */
export function loadNativeSecp256k1(): NativeSecp256k1 {
  const require = createRequire(import.meta.url)
  return require('secp256k1/bindings.js') as NativeSecp256k1
}

/** ethereumjs' ecrecover contract: 64-byte uncompressed public key (no 0x04 prefix), throws when invalid. */
type Ecrecover = NonNullable<CustomCrypto['ecrecover']>

function nativeEcrecover(secp: NativeSecp256k1): Ecrecover {
  return (msgHash, v, r, s, chainId) => {
    // the recovery id exactly as ethereumjs derives it: v for typed txs, v-27, or v-(2*chainId+35)
    const recovery = calculateSigRecovery(v, chainId)
    if (recovery !== 0n && recovery !== 1n) {
      throw new OpenLedgerError(CRYPTO_ERROR.INVALID_SIGNATURE, 'invalid signature v value', { v: v.toString() })
    }
    if (r.length > 32 || s.length > 32) {
      throw new OpenLedgerError(CRYPTO_ERROR.INVALID_SIGNATURE, 'signature r or s longer than 32 bytes', {})
    }
    const signature = concatBytes(setLengthLeft(r, 32), setLengthLeft(s, 32))
    let publicKey: Uint8Array
    try {
      publicKey = secp.ecdsaRecover(signature, Number(recovery), msgHash, false)
    } catch (cause) {
      throw new OpenLedgerError(CRYPTO_ERROR.INVALID_SIGNATURE, 'signature does not recover', {}, { cause })
    }
    return publicKey.slice(1)
  }
}

/**
 * Fast crypto for Common.customCrypto (specs/README.md "fast crypto"): sender recovery with
 * native libsecp256k1 (about 25x @noble, specs/ethereumjs.md §3.3) and keccak-256 / sha-256
 * with hash-wasm (about 9-12x @noble). The WASM hashers are created once here (hash-wasm's init
 * is async) and then used synchronously; JS is single-threaded and every call runs
 * init-update-digest without yielding, so one hasher instance is safe to share.
 * State roots, tx hashes and senders are identical to the @noble defaults (tested).
 *
 * @example
 * const common = createChainCommon(spec, { customCrypto: (await createFastCrypto()).crypto })
 */
export async function createFastCrypto(options: Partial<FastCryptoOptions> = {}): Promise<{ crypto: CustomCrypto; backends: CryptoBackends }> {
  const opts = { ...defaultFastCryptoOptions, ...options }
  const log = childLogger(opts.logger ?? pino({ level: 'silent' }), 'node:crypto')
  const keccakHasher = await createKeccak(256)
  const sha256Hasher = await createSHA256()
  const keccak256 = (data: Uint8Array): Uint8Array => keccakHasher.init().update(data).digest('binary')
  const sha256 = (data: Uint8Array): Uint8Array => sha256Hasher.init().update(data).digest('binary')

  let ecrecover: Ecrecover
  let backend: CryptoBackends['ecrecover']
  try {
    ecrecover = nativeEcrecover(loadNativeSecp256k1())
    backend = 'libsecp256k1'
  } catch (cause) {
    if (!opts.allowNobleFallback) {
      throw new OpenLedgerError(CRYPTO_ERROR.NATIVE_UNAVAILABLE, 'the native secp256k1 addon could not be loaded', {}, { cause })
    }
    log.warn({ err: cause }, 'native secp256k1 unavailable, sender recovery falls back to @noble (about 25x slower)')
    ecrecover = nobleEcrecover
    backend = 'noble'
  }
  log.debug({ ecrecover: backend }, 'crypto backends ready')
  return { crypto: { keccak256, sha256, ecrecover }, backends: { ecrecover: backend, keccak256: 'hash-wasm', sha256: 'hash-wasm' } }
}
