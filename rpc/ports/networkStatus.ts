/** Sync progress as eth_syncing reports it. */
export type RpcSyncStatus = { startingBlock: bigint; currentBlock: bigint; highestBlock: bigint }

/** This node on the peer-to-peer network (admin_nodeInfo). */
export type RpcNodeInfo = {
  /** libp2p peer id */
  id: string
  /** listen multiaddrs, each ending in /p2p/<id>: what other nodes pass as --p2p.bootnodes */
  listenAddrs: readonly string[]
  /** TCP port the p2p network listens on */
  port: number
  role: 'sequencer' | 'validator'
}

/** One connected peer (admin_peers). */
export type RpcPeerInfo = {
  id: string
  /** the remote multiaddr of the connection */
  address: string
  direction: 'inbound' | 'outbound'
  /** gossipsub score (negative: misbehaving) */
  score: number
  /** the head the peer last reported, if known */
  head: { number: bigint; hash: Uint8Array } | undefined
}

/** Port: the node's place in the network (net_peerCount, eth_syncing, admin_nodeInfo, admin_peers). */
export interface NetworkStatus {
  /** connected p2p peers */
  peerCount(): number
  /** undefined when in sync */
  syncStatus(): RpcSyncStatus | undefined
  /** undefined when the node is not on a p2p network (--p2p.enabled off) */
  nodeInfo(): RpcNodeInfo | undefined
  /** connected peers; empty without p2p */
  peers(): readonly RpcPeerInfo[]
}
