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
} as const

/** One of {@link CALL_ERROR}. */
export type CallErrorCode = (typeof CALL_ERROR)[keyof typeof CALL_ERROR]
