/** Error codes of the sequencer. */
export const SEQUENCER_ERROR = {
  INVALID_OPTION: 'SEQUENCER_ERROR_INVALID_OPTION',
  STOPPED: 'SEQUENCER_ERROR_STOPPED',
  /** evm_setNextBlockTimestamp at or below the head's timestamp (--dev) */
  INVALID_TIMESTAMP: 'SEQUENCER_ERROR_INVALID_TIMESTAMP',
} as const
/** One of {@link SEQUENCER_ERROR}. */
export type SequencerErrorCode = (typeof SEQUENCER_ERROR)[keyof typeof SEQUENCER_ERROR]
