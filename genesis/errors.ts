/**
 * Errors of genesis/. genesis/ is a leaf (STYLE §1) and cannot import runtime/errors.ts, so
 * GenesisError mirrors OpenLedgerError's shape (`code`, `meta`, `cause`) for rpc/ and the CLI.
 */
export const GENESIS_ERROR = {
  /** the text is not valid JSON */
  INVALID_JSON: 'GENESIS_ERROR_INVALID_JSON',
  /** the spec file could not be read */
  FILE_UNREADABLE: 'GENESIS_ERROR_FILE_UNREADABLE',
  /** a required field is absent */
  MISSING_FIELD: 'GENESIS_ERROR_MISSING_FIELD',
  /** a field has the wrong type or an out-of-range value */
  INVALID_FIELD: 'GENESIS_ERROR_INVALID_FIELD',
  /** a field our format does not define (typo guard) */
  UNKNOWN_FIELD: 'GENESIS_ERROR_UNKNOWN_FIELD',
  /** `version` is not one this node reads */
  UNSUPPORTED_VERSION: 'GENESIS_ERROR_UNSUPPORTED_VERSION',
  /** the fork schedule cannot be honoured (we run Prague from genesis, no later forks) */
  UNSUPPORTED_HARDFORK: 'GENESIS_ERROR_UNSUPPORTED_HARDFORK',
  /** a geth-style option this node cannot honour (e.g. clique) */
  UNSUPPORTED_CONFIG: 'GENESIS_ERROR_UNSUPPORTED_CONFIG',
  /** a mixed-case address whose EIP-55 checksum is wrong */
  BAD_CHECKSUM: 'GENESIS_ERROR_BAD_CHECKSUM',
  /** the same address appears twice in alloc (e.g. checksummed and lowercase) */
  DUPLICATE_ADDRESS: 'GENESIS_ERROR_DUPLICATE_ADDRESS',
  /** two tokenomics buckets share a name */
  DUPLICATE_BUCKET: 'GENESIS_ERROR_DUPLICATE_BUCKET',
  /** the tokenomics table does not add up to the wei (shares, bucket amounts, TGE circulating) */
  TOKENOMICS_MISMATCH: 'GENESIS_ERROR_TOKENOMICS_MISMATCH',
  /** an alloc balance in a spec with tokenomics (OPEN is then allocated only through the table) */
  ALLOC_BALANCE_WITH_TOKENOMICS: 'GENESIS_ERROR_ALLOC_BALANCE_WITH_TOKENOMICS',
  /** an op-node rollup.json value that contradicts the chain spec (l2_chain_id, genesis.l2_time, block_time, gasLimit, genesis.l2.hash) */
  ROLLUP_MISMATCH: 'GENESIS_ERROR_ROLLUP_MISMATCH',
} as const
/** One of GENESIS_ERROR. */
export type GenesisErrorCode = (typeof GENESIS_ERROR)[keyof typeof GENESIS_ERROR]

/**
 * A chain-spec problem. `meta.path` is the JSON path of the offending field (e.g.
 * "baseFee.elasticityMultiplier"), and the message starts with it.
 *
 * @example
 * try { parseChainSpec(json) } catch (err) {
 *   if (err instanceof GenesisError) console.error(err.code, err.meta.path, err.message)
 * }
 */
export class GenesisError extends Error {
  /** Stable machine-readable reason, GENESIS_ERROR_*. */
  readonly code: GenesisErrorCode
  /** Structured context: `path` (JSON path) and, where useful, `file`. */
  readonly meta: Record<string, unknown>

  constructor(code: GenesisErrorCode, message: string, meta: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'GenesisError'
    this.code = code
    this.meta = meta
  }
}

/** Build a GenesisError about the field at `path`; the message reads "<path> <problem>". */
export function fieldError(code: GenesisErrorCode, path: string, problem: string): GenesisError {
  return new GenesisError(code, `${path} ${problem}`, { path })
}
