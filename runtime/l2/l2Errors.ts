/**
 * Reasons the OP Stack rules (runtime/l2) refuse an input: a deposit transaction that does not
 * decode, a TransactionDeposited log op-node would not derive, an L1-info payload of an unknown
 * form, a block whose deposits break the rollup rules.
 */
export const L2_ERROR = {
  /** a 0x7E encoding that is not 8 canonical fields */
  MALFORMED_DEPOSIT: 'L2_ERROR_MALFORMED_DEPOSIT',
  /** a TransactionDeposited log op-node's derivation rejects (topics, ABI framing, version, opaqueData) */
  MALFORMED_DEPOSIT_LOG: 'L2_ERROR_MALFORMED_DEPOSIT_LOG',
  /** L1-info calldata of an unknown selector or length */
  MALFORMED_L1_INFO: 'L2_ERROR_MALFORMED_L1_INFO',
  /** a block of a rollup chain whose first tx is not the L1-info deposit, or with deposits out of place */
  INVALID_DEPOSITS: 'L2_ERROR_INVALID_DEPOSITS',
  /** the OP predeploys of a rollup genesis cannot be built: a contracts-bedrock artifact is missing, or a constructor / initializer reverted */
  PREDEPLOY_BUILD_FAILED: 'L2_ERROR_PREDEPLOY_BUILD_FAILED',
  /** a rollup genesis alloc has an account at an OP predeploy (or its implementation) address */
  PREDEPLOY_ALLOC_CONFLICT: 'L2_ERROR_PREDEPLOY_ALLOC_CONFLICT',
} as const
/** One of {@link L2_ERROR}. */
export type L2ErrorCode = (typeof L2_ERROR)[keyof typeof L2_ERROR]
