/** Verdict on a gossip message: accept (forward), ignore (drop), reject (drop and lower the sender's score). */
export type GossipVerdict = 'accept' | 'ignore' | 'reject'

/** A connected peer's head, from the status exchange. */
export type PeerHead = { peerId: string; number: bigint; hash: Uint8Array }

/** What a peer did wrong, as node/p2p scores it. */
export type PeerOffence = 'invalid_block' | 'invalid_response' | 'timeout'

/**
 * The network as sync needs it: the port node.ts adapts node/p2p's P2pNetwork to (sync never
 * imports libp2p). blocksByRange answers encoded sealed blocks (sealedBlock.ts), in order.
 */
export interface SyncNetwork {
  /** heads of the connected same-chain peers */
  peerHeads(): Promise<PeerHead[]>
  /**
   * sealed blocks start..start+count-1 from one peer (it may send fewer, never others); throws
   * SYNC_ERROR_RATE_LIMITED when the peer refuses the request for now (range sync pauses, then
   * asks it again), any other error when the request failed
   */
  blocksByRange(peerId: string, start: bigint, count: number): Promise<Uint8Array[]>
  /** lower a peer's score for an offence */
  reportPeer(peerId: string, offence: PeerOffence): void
}
