/** Error codes of the sequencer. */
export const SEQUENCER_ERROR = {
  INVALID_OPTION: 'SEQUENCER_ERROR_INVALID_OPTION',
  STOPPED: 'SEQUENCER_ERROR_STOPPED',
  /** evm_setNextBlockTimestamp at or below the head's timestamp (--dev) */
  INVALID_TIMESTAMP: 'SEQUENCER_ERROR_INVALID_TIMESTAMP',
  /** a rollup chain's L1 origin cannot be read from L1 yet (L1 down or not synced); the build is retried */
  L1_UNAVAILABLE: 'SEQUENCER_ERROR_L1_UNAVAILABLE',
  /** L1 disagrees with the rollup config: it does not hold the config's genesis.l1 block (another L1) */
  L1_MISMATCH: 'SEQUENCER_ERROR_L1_MISMATCH',
} as const
/** One of {@link SEQUENCER_ERROR}. */
export type SequencerErrorCode = (typeof SEQUENCER_ERROR)[keyof typeof SEQUENCER_ERROR]
