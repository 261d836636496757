/**
 * Reasons a transaction is refused before execution (decoding and static validation). The txpool
 * uses the same codes; rpc/errors.ts maps the `TX_ERROR_` prefix to "transaction rejected".
 */
export const TX_ERROR = {
  /** not a valid RLP / EIP-2718 encoding of a supported tx */
  MALFORMED: 'TX_ERROR_MALFORMED',
  /** a type byte this chain does not know */
  UNSUPPORTED_TYPE: 'TX_ERROR_UNSUPPORTED_TYPE',
  /** EIP-4844 blob txs are disabled on this chain */
  BLOB_UNSUPPORTED: 'TX_ERROR_BLOB_UNSUPPORTED',
  /** signed for another chain id */
  WRONG_CHAIN_ID: 'TX_ERROR_WRONG_CHAIN_ID',
  /** legacy tx without EIP-155 replay protection (v = 27/28) while those are not allowed */
  NOT_EIP155: 'TX_ERROR_NOT_EIP155',
  /** no signature */
  UNSIGNED: 'TX_ERROR_UNSIGNED',
  /** signature does not recover (bad r/s/v, high s) */
  INVALID_SIGNATURE: 'TX_ERROR_INVALID_SIGNATURE',
  /** the block builder skipped it: its gas limit exceeds the gas left in the block */
  BLOCK_GAS_EXCEEDED: 'TX_ERROR_BLOCK_GAS_EXCEEDED',
  /** the block builder skipped it: invalid against the state (nonce, balance, fee cap below base fee, ...) */
  EXECUTION_INVALID: 'TX_ERROR_EXECUTION_INVALID',
} as const
/** One of {@link TX_ERROR}. */
export type TxErrorCode = (typeof TX_ERROR)[keyof typeof TX_ERROR]
