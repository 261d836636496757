/** A gossip validation verdict: only 'reject' lowers the sender's score (STYLE §4). */
export type GossipVerdict = 'accept' | 'ignore' | 'reject'

/** A connected peer's head, as its last status answer reported it. */
export type PeerHead = { peerId: string; number: bigint; hash: Uint8Array }

/** Misbehaviour a caller (sync) reports against a peer; each lowers its application score. */
export type PeerOffence = 'invalid_block' | 'invalid_response' | 'timeout'

/** What node/p2p asks of the node: gossip validation, blocks to serve, the head to announce. */
export type P2pHandlers = {
  /** verdict on a gossiped sealed block (RLP([blockRlp, seal])); `from` is the propagating peer id */
  onBlockMessage(data: Uint8Array, from: string): Promise<GossipVerdict>
  /** verdict on a gossiped raw signed tx */
  onTxMessage(data: Uint8Array, from: string): Promise<GossipVerdict>
  /** encoded sealed blocks start..start+count-1 this node holds, in order, stopping at the first it lacks or when maxBytes would be passed */
  getBlockRange(start: bigint, count: number, maxBytes: number): Promise<Uint8Array[]>
  /** this node's head, for the status exchange */
  head(): { number: bigint; hash: Uint8Array }
}

/** One connected peer as {@link P2pNetwork.peers} lists it. */
export type PeerInfo = {
  peerId: string
  /** the remote multiaddr of the connection */
  address: string
  /** gossipsub score (including the application score) */
  score: number
  /** its head from the last status exchange, once one succeeded */
  head?: PeerHead
  direction: 'inbound' | 'outbound'
}

/** A peer connected or disconnected. */
export type PeerEvent = { peerId: string; connected: boolean }

/** The running p2p network of a node (see createP2p). */
export type P2pNetwork = {
  /** this node's peer id (base58, 12D3...) */
  readonly peerId: string
  /** listen addresses with /p2p/<peer id>, e.g. '/ip4/127.0.0.1/tcp/9222/p2p/12D3...' */
  multiaddrs(): string[]
  /** connected peers */
  peerCount(): number
  /** connected peers with their address, score, head and direction */
  peers(): PeerInfo[]
  /** gossip a sealed block; resolves to the number of recipients, 0 when no peer is subscribed (no throw) */
  publishBlock(data: Uint8Array): Promise<number>
  /** gossip a raw signed tx; resolves to the number of recipients (0 when none) */
  publishTx(data: Uint8Array): Promise<number>
  /** heads of connected same-chain peers; statuses older than 2 s are asked again first */
  peerHeads(): Promise<PeerHead[]>
  /** sealed blocks start.. from one peer (at most `count`, each checked against the limits) */
  blocksByRange(peerId: string, start: bigint, count: number): Promise<Uint8Array[]>
  /** lower a peer's application score; enough offences disconnect and ban it */
  reportPeer(peerId: string, offence: PeerOffence): void
  /** subscribe to peer connect/disconnect events */
  on(event: 'peer', listener: (event: PeerEvent) => void): void
  /** stop libp2p and every timer; idempotent */
  stop(): Promise<void>
}
