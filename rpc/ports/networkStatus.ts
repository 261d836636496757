/** Sync progress as eth_syncing reports it. */
export type RpcSyncStatus = { startingBlock: bigint; currentBlock: bigint; highestBlock: bigint }

/** Port: the node's place in the network (net_peerCount, eth_syncing). */
export interface NetworkStatus {
  /** connected p2p peers */
  peerCount(): number
  /** undefined when in sync */
  syncStatus(): RpcSyncStatus | undefined
}
