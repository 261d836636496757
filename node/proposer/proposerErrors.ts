/** Reasons the output proposer refuses to start or a proposal fails. */
export const PROPOSER_ERROR = {
  /** an option out of range (named in meta.option) */
  INVALID_OPTION: 'PROPOSER_ERROR_INVALID_OPTION',
  /** proposeL2Output was mined but reverted */
  PROPOSAL_REVERTED: 'PROPOSER_ERROR_PROPOSAL_REVERTED',
  /** the proposal was not mined within the round's receipt timeout */
  PROPOSAL_NOT_MINED: 'PROPOSER_ERROR_PROPOSAL_NOT_MINED',
} as const
/** One of {@link PROPOSER_ERROR}. */
export type ProposerErrorCode = (typeof PROPOSER_ERROR)[keyof typeof PROPOSER_ERROR]
