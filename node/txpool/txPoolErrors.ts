/** Error codes of the txpool, one per rejection reason (mapped to JSON-RPC in rpc/errors.ts). */
export const TXPOOL_ERROR = {
  ALREADY_KNOWN: 'TXPOOL_ERROR_ALREADY_KNOWN',
  UNDERPRICED: 'TXPOOL_ERROR_UNDERPRICED',
  REPLACEMENT_UNDERPRICED: 'TXPOOL_ERROR_REPLACEMENT_UNDERPRICED',
  NONCE_TOO_LOW: 'TXPOOL_ERROR_NONCE_TOO_LOW',
  NONCE_TOO_HIGH: 'TXPOOL_ERROR_NONCE_TOO_HIGH',
  INSUFFICIENT_FUNDS: 'TXPOOL_ERROR_INSUFFICIENT_FUNDS',
  /** the tx is affordable alone but not with the sender's pending txs before it (geth's overdraft rule) */
  OVERDRAFT: 'TXPOOL_ERROR_OVERDRAFT',
  GAS_LIMIT_EXCEEDED: 'TXPOOL_ERROR_GAS_LIMIT_EXCEEDED',
  INTRINSIC_GAS_TOO_LOW: 'TXPOOL_ERROR_INTRINSIC_GAS_TOO_LOW',
  OVERSIZED: 'TXPOOL_ERROR_OVERSIZED',
  SENDER_LIMIT: 'TXPOOL_ERROR_SENDER_LIMIT',
  POOL_FULL: 'TXPOOL_ERROR_POOL_FULL',
  /** the pool was closed (node shutting down) */
  CLOSED: 'TXPOOL_ERROR_CLOSED',
  /** a TxPoolOptions value is out of range (start-up) */
  INVALID_OPTION: 'TXPOOL_ERROR_INVALID_OPTION',
} as const
/** One of {@link TXPOOL_ERROR}. */
export type TxPoolErrorCode = (typeof TXPOOL_ERROR)[keyof typeof TXPOOL_ERROR]
