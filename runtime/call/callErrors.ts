/** Why a simulated call could not run at all (an EVM halt or revert is a result, not one of these). */
export const CALL_ERROR = {
  /** the block the call names has no header (pruned, unknown) */
  HEADER_NOT_FOUND: 'CALL_ERROR_HEADER_NOT_FOUND',
  /** the state root of the block the call names is not in the store */
  STATE_UNAVAILABLE: 'CALL_ERROR_STATE_UNAVAILABLE',
  /** too many simulated calls are queued on the shared head state */
  TOO_MANY_CALLS: 'CALL_ERROR_TOO_MANY_CALLS',
  /** a trace could not build a call tree (the message failed before executing) */
  NOT_EXECUTED: 'CALL_ERROR_NOT_EXECUTED',
  /** the halt probe ran past its step or memory budget */
  PROBE_BUDGET: 'CALL_ERROR_PROBE_BUDGET',
  // Refusals of a message before it executes (callPrecheck, geth's state transition checks): a
  // call result for eth_call, the request's error for eth_simulateV1 (which maps each kind).
  /** the message's nonce is below the sender's (checked in eth_simulateV1 with validation) */
  NONCE_TOO_LOW: 'CALL_ERROR_NONCE_TOO_LOW',
  /** the message's nonce is above the sender's */
  NONCE_TOO_HIGH: 'CALL_ERROR_NONCE_TOO_HIGH',
  /** the sender's nonce is 2^64-1: a tx cannot bump it */
  NONCE_MAX: 'CALL_ERROR_NONCE_MAX',
  /** max fee per gas below the block's base fee */
  FEE_CAP_TOO_LOW: 'CALL_ERROR_FEE_CAP_TOO_LOW',
  /** max priority fee per gas above max fee per gas */
  TIP_ABOVE_FEE_CAP: 'CALL_ERROR_TIP_ABOVE_FEE_CAP',
  /** creation init code past the EIP-3860 limit */
  INIT_CODE_SIZE: 'CALL_ERROR_INIT_CODE_SIZE',
  /** the sender cannot afford gas * fee cap + value */
  INSUFFICIENT_FUNDS: 'CALL_ERROR_INSUFFICIENT_FUNDS',
  /** gas limit below the intrinsic gas */
  INTRINSIC_GAS: 'CALL_ERROR_INTRINSIC_GAS',
  /** gas limit below the EIP-7623 calldata floor */
  FLOOR_DATA_GAS: 'CALL_ERROR_FLOOR_DATA_GAS',
  /** any other message no tx could carry (an EIP-7702 message without a target or authorizations, a field past its bound) */
  INVALID_MESSAGE: 'CALL_ERROR_INVALID_MESSAGE',
  // eth_simulateV1 requests
  /** a simulated call asks for more gas than its block has left */
  BLOCK_GAS_LIMIT: 'CALL_ERROR_BLOCK_GAS_LIMIT',
  /** simulated block numbers do not increase */
  BLOCK_NUMBER_ORDER: 'CALL_ERROR_BLOCK_NUMBER_ORDER',
  /** simulated block timestamps do not increase */
  BLOCK_TIMESTAMP_ORDER: 'CALL_ERROR_BLOCK_TIMESTAMP_ORDER',
  /** too many simulated blocks or calls in one request */
  SIMULATE_LIMIT: 'CALL_ERROR_SIMULATE_LIMIT',
} as const

/** One of {@link CALL_ERROR}. */
export type CallErrorCode = (typeof CALL_ERROR)[keyof typeof CALL_ERROR]
