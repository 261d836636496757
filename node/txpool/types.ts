import type { TypedTransaction } from '@ethereumjs/tx'

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
