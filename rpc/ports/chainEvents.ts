import type { ExecutedBlock } from '../../runtime/index.ts'

/** Events the node emits for filters and subscriptions. */
export type RpcBackendEvents = {
  head: (executed: ExecutedBlock) => void
  pendingTx: (hash: Uint8Array) => void
}

/** Port: new heads and new pending txs (filters, eth_subscribe). */
export interface ChainEvents {
  on<E extends keyof RpcBackendEvents>(event: E, listener: RpcBackendEvents[E]): void
  off<E extends keyof RpcBackendEvents>(event: E, listener: RpcBackendEvents[E]): void
}
