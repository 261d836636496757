import type { DepositTx } from './depositTx.ts'

/**
 * What an L2 block needs from its L1 origin block: the header fields the L1-info deposit carries
 * and the user deposits derived from the block's TransactionDeposited logs (in L1 log order).
 * node/l1 reads it from an L1 node; the sequencer includes it; validators never read L1 (they
 * check the blocks the sequencer made).
 */
export type L1Origin = {
  number: bigint
  hash: Uint8Array
  parentHash: Uint8Array
  timestamp: bigint
  /** the L1 block's base fee, wei */
  baseFee: bigint
  /** the L1 blob base fee, wei (1 when the L1 block has no blob fields) */
  blobBaseFee: bigint
  /** user deposits of this L1 block, in log order (already checked and decoded) */
  deposits: DepositTx[]
}
