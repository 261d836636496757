import type { TypedTransaction } from '@ethereumjs/tx'

/** Port: the way into the txpool (reth's EthTransactions send role). */
export interface TxSubmitter {
  /** validate and add to the pool; returns the tx hash */
  sendRawTransaction(raw: Uint8Array): Promise<Uint8Array>
  /** add an already signed tx (dev eth_sendTransaction) */
  sendTransaction(tx: TypedTransaction): Promise<Uint8Array>
  /** the nonce the next tx of `address` should use, counting pending pool txs */
  pendingNonce(address: string): Promise<bigint>
}
