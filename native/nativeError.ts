/** String codes of every NativeError (one per C status, plus load failures of the addon itself). */
export const NativeErrorCode = {
  INVALID_ARGUMENT: 'NATIVE_ERROR_INVALID_ARGUMENT',
  IO_ERROR: 'NATIVE_ERROR_IO_ERROR',
  FORMAT_ERROR: 'NATIVE_ERROR_FORMAT_ERROR',
  TRUNCATED_FILE: 'NATIVE_ERROR_TRUNCATED_FILE',
  UNSUPPORTED_DTYPE: 'NATIVE_ERROR_UNSUPPORTED_DTYPE',
  MISSING_TENSOR: 'NATIVE_ERROR_MISSING_TENSOR',
  SHAPE_MISMATCH: 'NATIVE_ERROR_SHAPE_MISMATCH',
  UNSUPPORTED_MODEL: 'NATIVE_ERROR_UNSUPPORTED_MODEL',
  UNSUPPORTED_ADAPTER: 'NATIVE_ERROR_UNSUPPORTED_ADAPTER',
  ADAPTER_RANK_TOO_LARGE: 'NATIVE_ERROR_ADAPTER_RANK_TOO_LARGE',
  ADAPTER_NOT_FOUND: 'NATIVE_ERROR_ADAPTER_NOT_FOUND',
  ADAPTER_TOO_LARGE: 'NATIVE_ERROR_ADAPTER_TOO_LARGE',
  ADAPTER_CHANGED: 'NATIVE_ERROR_ADAPTER_CHANGED',
  NO_MODEL: 'NATIVE_ERROR_NO_MODEL',
  MODEL_ALREADY_LOADED: 'NATIVE_ERROR_MODEL_ALREADY_LOADED',
  TOKEN_OUT_OF_RANGE: 'NATIVE_ERROR_TOKEN_OUT_OF_RANGE',
  PROMPT_TOO_LONG: 'NATIVE_ERROR_PROMPT_TOO_LONG',
  KV_OUT_OF_MEMORY: 'NATIVE_ERROR_KV_OUT_OF_MEMORY',
  OUT_OF_MEMORY: 'NATIVE_ERROR_OUT_OF_MEMORY',
  BACKEND_UNAVAILABLE: 'NATIVE_ERROR_BACKEND_UNAVAILABLE',
  BACKEND_ERROR: 'NATIVE_ERROR_BACKEND_ERROR',
  INTERNAL: 'NATIVE_ERROR_INTERNAL',
  ADDON_NOT_BUILT: 'NATIVE_ERROR_ADDON_NOT_BUILT',
} as const

/** Union of NativeError codes. */
export type NativeErrorCode = (typeof NativeErrorCode)[keyof typeof NativeErrorCode]

/** Metadata attached to a NativeError. */
export type NativeErrorMeta = Record<string, unknown>

/**
 * The single error class of native/. `code` is a NATIVE_ERROR_* string; the message comes from
 * the engine (it names the file, tensor or request at fault).
 *
 * @example
 * try { await engine.loadAdapter(dir) } catch (e) {
 *   if (e instanceof NativeError && e.code === NativeErrorCode.UNSUPPORTED_ADAPTER) { ... }
 * }
 */
export class NativeError extends Error {
  readonly code: NativeErrorCode
  readonly meta: NativeErrorMeta

  constructor(code: NativeErrorCode, message: string, meta: NativeErrorMeta = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'NativeError'
    this.code = code
    this.meta = meta
  }
}

/** Map an error thrown by the addon (code OLI_STATUS_*) to a NativeError; other values are wrapped as INTERNAL. */
export function toNativeError(err: unknown, meta: NativeErrorMeta = {}): NativeError {
  if (err instanceof NativeError) return err
  if (err instanceof Error) {
    const status = (err as Error & { code?: unknown }).code
    if (typeof status === 'string' && status.startsWith('OLI_STATUS_')) {
      const key = status.slice('OLI_STATUS_'.length) as keyof typeof NativeErrorCode
      const code = NativeErrorCode[key] ?? NativeErrorCode.INTERNAL
      return new NativeError(code, err.message, meta, { cause: err })
    }
    return new NativeError(NativeErrorCode.INTERNAL, 'native addon failed', meta, { cause: err })
  }
  return new NativeError(NativeErrorCode.INTERNAL, 'native addon failed', meta, { cause: err })
}
