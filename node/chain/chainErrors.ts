/** Error codes of node/chain. */
export const CHAIN_ERROR = {
  /** the datadir was created for another genesis / chain spec */
  GENESIS_MISMATCH: 'CHAIN_ERROR_GENESIS_MISMATCH',
  /** stored data is missing or undecodable (the datadir is damaged) */
  CORRUPT: 'CHAIN_ERROR_CORRUPT',
  /** no canonical block with that number */
  UNKNOWN_BLOCK: 'CHAIN_ERROR_UNKNOWN_BLOCK',
  /** an imported block does not extend the current head (reorgs are not supported) */
  NOT_HEAD_CHILD: 'CHAIN_ERROR_NOT_HEAD_CHILD',
  /** the chain was closed */
  CLOSED: 'CHAIN_ERROR_CLOSED',
} as const
/** One of {@link CHAIN_ERROR}. */
export type ChainErrorCode = (typeof CHAIN_ERROR)[keyof typeof CHAIN_ERROR]
