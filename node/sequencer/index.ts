export { createSequencer, defaultSequencerOptions } from './sequencer.ts'
export type { Sequencer, SequencerBlock, SequencerEvents, SequencerOptions } from './sequencer.ts'
export { SEQUENCER_ERROR } from './sequencerErrors.ts'
export type { SequencerErrorCode } from './sequencerErrors.ts'
