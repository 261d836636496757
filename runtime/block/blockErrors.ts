/** Reasons a block is refused (validator path) or cannot be built. */
export const BLOCK_ERROR = {
  /** not a decodable block */
  MALFORMED: 'BLOCK_ERROR_MALFORMED',
  /** parent hash is not a known block */
  UNKNOWN_PARENT: 'BLOCK_ERROR_UNKNOWN_PARENT',
  /** number is not parent + 1 */
  INVALID_NUMBER: 'BLOCK_ERROR_INVALID_NUMBER',
  /** timestamp not greater than the parent's */
  INVALID_TIMESTAMP: 'BLOCK_ERROR_INVALID_TIMESTAMP',
  /** gas limit differs from the spec's constant gas limit */
  INVALID_GAS_LIMIT: 'BLOCK_ERROR_INVALID_GAS_LIMIT',
  /** base fee is not calcNextBaseFee(parent) */
  INVALID_BASE_FEE: 'BLOCK_ERROR_INVALID_BASE_FEE',
  /** coinbase is not the spec's priority-fee recipient */
  INVALID_COINBASE: 'BLOCK_ERROR_INVALID_COINBASE',
  /** any other header field outside this chain's rules (difficulty, nonce, blob gas, ...) */
  INVALID_HEADER: 'BLOCK_ERROR_INVALID_HEADER',
  /** body outside this chain's rules (blob tx, withdrawals, tx for another chain, ...) */
  INVALID_BODY: 'BLOCK_ERROR_INVALID_BODY',
  /** re-execution disagrees with the header (state root, receipts, bloom, gas used) or a tx is invalid */
  INVALID_EXECUTION: 'BLOCK_ERROR_INVALID_EXECUTION',
  /** a system contract this runtime cannot replicate in its builder has code */
  UNSUPPORTED_SYSTEM_CONTRACT: 'BLOCK_ERROR_UNSUPPORTED_SYSTEM_CONTRACT',
  /** the runtime's fee crediting failed (storage error); the block is not applied */
  FEE_CREDIT_FAILED: 'BLOCK_ERROR_FEE_CREDIT_FAILED',
} as const
/** One of {@link BLOCK_ERROR}. */
export type BlockErrorCode = (typeof BLOCK_ERROR)[keyof typeof BLOCK_ERROR]
