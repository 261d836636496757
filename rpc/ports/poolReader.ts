import type { TypedTransaction } from '@ethereumjs/tx'

/** A pooled tx as the RPC shows it. */
export type RpcPooledTx = { tx: TypedTransaction; hash: Uint8Array; sender: Uint8Array }

/** Port: what is waiting in the txpool (txpool_* and pending lookups). */
export interface PoolReader {
  getPoolTx(hash: Uint8Array): RpcPooledTx | undefined
  /** pooled txs by lowercase sender address, in nonce order */
  poolContent(): { pending: Map<string, RpcPooledTx[]>; queued: Map<string, RpcPooledTx[]> }
  poolStatus(): { pending: number; queued: number }
}
