/** Error codes of node/crypto. */
export const CRYPTO_ERROR = {
  /** the libsecp256k1 addon could not be loaded and the noble fallback was not allowed */
  NATIVE_UNAVAILABLE: 'CRYPTO_ERROR_NATIVE_UNAVAILABLE',
  /** the signature does not recover to a public key */
  INVALID_SIGNATURE: 'CRYPTO_ERROR_INVALID_SIGNATURE',
} as const
/** One of {@link CRYPTO_ERROR}. */
export type CryptoErrorCode = (typeof CRYPTO_ERROR)[keyof typeof CRYPTO_ERROR]
