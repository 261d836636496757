/** Error codes of node/sync (block seals, the sealed-block codec, the import pipeline, range sync, export / import files). */
export const SYNC_ERROR = {
  /** a seal that is not 65 bytes r ‖ s ‖ v (v 0 or 1, low s), does not recover, or recovers to another signer than the sequencer */
  INVALID_SEAL: 'SYNC_ERROR_INVALID_SEAL',
  /** bytes that are not a sealed block (RLP([blockRlp, seal])) or not a decodable block */
  MALFORMED_BLOCK: 'SYNC_ERROR_MALFORMED_BLOCK',
  /** a sealed block larger than the codec's bound */
  OVERSIZED: 'SYNC_ERROR_OVERSIZED',
  /** the block breaks the chain's rules (header, body, re-execution, not on the head): the sender is at fault */
  INVALID_BLOCK: 'SYNC_ERROR_INVALID_BLOCK',
  /** the block could not be imported for a local reason (closed chain, I/O): nobody else is at fault */
  IMPORT_FAILED: 'SYNC_ERROR_IMPORT_FAILED',
  /** a blocks_by_range answer that is not the range asked for (wrong count, order or numbers) */
  INVALID_RESPONSE: 'SYNC_ERROR_INVALID_RESPONSE',
  /** an import file that is not concatenated block RLP (truncated or garbage item) */
  MALFORMED_FILE: 'SYNC_ERROR_MALFORMED_FILE',
  /** an export range outside the chain (first > last, or last above the head) */
  INVALID_RANGE: 'SYNC_ERROR_INVALID_RANGE',
  /** the peer refused a blocks_by_range request for now (its rate limit): range sync pauses and asks it again */
  RATE_LIMITED: 'SYNC_ERROR_RATE_LIMITED',
  /** the datadir's LevelDB is held by another process (a running node) */
  DATADIR_IN_USE: 'SYNC_ERROR_DATADIR_IN_USE',
} as const
/** One of {@link SYNC_ERROR}. */
export type SyncErrorCode = (typeof SYNC_ERROR)[keyof typeof SYNC_ERROR]
