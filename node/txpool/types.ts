import type { TypedTransaction } from '@ethereumjs/tx'

/** Error codes of the txpool, one per rejection reason (mapped to JSON-RPC in rpc/errors.ts). */
export const TXPOOL_ERROR = {
  ALREADY_KNOWN: 'TXPOOL_ERROR_ALREADY_KNOWN',
  UNDERPRICED: 'TXPOOL_ERROR_UNDERPRICED',
  REPLACEMENT_UNDERPRICED: 'TXPOOL_ERROR_REPLACEMENT_UNDERPRICED',
  NONCE_TOO_LOW: 'TXPOOL_ERROR_NONCE_TOO_LOW',
  NONCE_TOO_HIGH: 'TXPOOL_ERROR_NONCE_TOO_HIGH',
  INSUFFICIENT_FUNDS: 'TXPOOL_ERROR_INSUFFICIENT_FUNDS',
  /** the tx is affordable alone but not with the sender's pending txs before it (geth's overdraft rule) */
  OVERDRAFT: 'TXPOOL_ERROR_OVERDRAFT',
  GAS_LIMIT_EXCEEDED: 'TXPOOL_ERROR_GAS_LIMIT_EXCEEDED',
  INTRINSIC_GAS_TOO_LOW: 'TXPOOL_ERROR_INTRINSIC_GAS_TOO_LOW',
  OVERSIZED: 'TXPOOL_ERROR_OVERSIZED',
  SENDER_LIMIT: 'TXPOOL_ERROR_SENDER_LIMIT',
  POOL_FULL: 'TXPOOL_ERROR_POOL_FULL',
  /** the pool was closed (node shutting down) */
  CLOSED: 'TXPOOL_ERROR_CLOSED',
  /** a TxPoolOptions value is out of range (start-up) */
  INVALID_OPTION: 'TXPOOL_ERROR_INVALID_OPTION',
} as const
/** One of {@link TXPOOL_ERROR}. */
export type TxPoolErrorCode = (typeof TXPOOL_ERROR)[keyof typeof TXPOOL_ERROR]

/** A pooled tx with its recovered sender (recovered once, at ingest). */
export type PooledTx = {
  tx: TypedTransaction
  hash: Uint8Array
  sender: Uint8Array
  /** serialized size in bytes */
  size: number
}

/** How many txs the pool holds, by state. */
export type TxPoolStatus = { pending: number; queued: number }

/** Optional bounds for {@link TxPool.pendingForBlock}. */
export type PendingForBlockOptions = {
  /** stop adding a sender's txs once the next one's gasLimit no longer fits in this budget */
  gasLimit?: bigint
  /** at most this many txs */
  maxTxs?: number
}

/** Events a TxPool emits. */
export type TxPoolEvents = {
  /** a tx became executable (pending) */
  pending: (tx: PooledTx) => void
}

/**
 * The transaction pool: pending (executable, nonce-contiguous from the account nonce) and
 * queued (future nonce) txs per sender.
 */
export interface TxPool {
  /** Decode, validate and add a raw signed tx; returns its hash or throws OpenLedgerError(TX_*|TXPOOL_*). */
  addRaw(raw: Uint8Array): Promise<Uint8Array>
  /** Add an already-decoded signed tx (e.g. from eth_sendTransaction in --dev mode). */
  add(tx: TypedTransaction): Promise<Uint8Array>
  get(hash: Uint8Array): PooledTx | undefined
  /** Executable txs for the next block: per sender in nonce order, across senders by effective tip. */
  pendingForBlock(baseFee: bigint, opts?: PendingForBlockOptions): TypedTransaction[]
  /**
   * Drop txs by hash (e.g. rejected at execution by the block builder); returns how many were
   * in the pool. A sender's later nonces stay, queued, until the gap is filled.
   */
  remove(hashes: Iterable<Uint8Array>): number
  /**
   * Resolves once every operation queued before the call (adds, head revalidation) has finished.
   * Operations queued after the call are not waited for, so a steady stream of adds cannot hold
   * it (and the block builder waiting on it) back.
   */
  idle(): Promise<void>
  /** pending and queued txs grouped by sender (lowercase hex), each list in nonce order */
  content(): { pending: Map<string, PooledTx[]>; queued: Map<string, PooledTx[]> }
  status(): TxPoolStatus
  on<E extends keyof TxPoolEvents>(event: E, listener: TxPoolEvents[E]): void
  off<E extends keyof TxPoolEvents>(event: E, listener: TxPoolEvents[E]): void
  close(): Promise<void>
}
