/**
 * The one base error of the project (STYLE §4). Every domain defines its codes as an as-const
 * object (`TX_ERROR_*`, `CHAIN_ERROR_*`, ...) and throws `OpenLedgerError` (or a subclass) with
 * one of them. rpc/errors.ts maps `code` to a JSON-RPC number; nothing else branches on errors.
 *
 * genesis/ and native/ are leaves and cannot import this file; their errors carry the same
 * `code` / `meta` / `cause` shape so the RPC table treats them alike.
 */
export class OpenLedgerError<Code extends string = string> extends Error {
  /** Stable machine-readable reason, DOMAIN_ERROR_REASON. */
  readonly code: Code
  /** Structured context for logs and RPC `data`; never secrets. */
  readonly meta: Record<string, unknown>

  constructor(code: Code, message: string, meta: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OpenLedgerError'
    this.code = code
    this.meta = meta
  }
}

/** True for any error that carries a domain `code` (ours or a leaf module's look-alike). */
export function isCodedError(err: unknown): err is Error & { code: string; meta?: Record<string, unknown> } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string'
}
