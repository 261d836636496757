export { createSequencer, defaultSequencerOptions, SEQUENCER_ERROR } from './sequencer.ts'
export type { Sequencer, SequencerBlock, SequencerErrorCode, SequencerEvents, SequencerOptions } from './sequencer.ts'
