/** Error codes of the p2p network (node/p2p). */
export const P2P_ERROR = {
  /** an option of createP2p is out of range or malformed */
  INVALID_OPTION: 'P2P_ERROR_INVALID_OPTION',
  /** a --p2p.bootnodes entry is not a multiaddr ending in /p2p/<peer id> */
  INVALID_BOOTNODE: 'P2P_ERROR_INVALID_BOOTNODE',
  /** <datadir>/p2p/peer.key cannot be read, written or decoded */
  PEER_KEY: 'P2P_ERROR_PEER_KEY',
  /** libp2p failed to start (port in use, bad listen address) */
  START_FAILED: 'P2P_ERROR_START_FAILED',
  /** a request to a peer failed: no connection, stream reset, or the peer answered with an error code */
  REQUEST_FAILED: 'P2P_ERROR_REQUEST_FAILED',
  /** the peer answered a request in breach of the protocol (too many chunks, too large, undecodable) */
  INVALID_RESPONSE: 'P2P_ERROR_INVALID_RESPONSE',
  /** the peer refused a request because this node exceeded its rate limit */
  RATE_LIMITED: 'P2P_ERROR_RATE_LIMITED',
  /** a request to a peer got no full answer within requestTimeoutMs */
  TIMEOUT: 'P2P_ERROR_TIMEOUT',
  /** a gossip publish failed for a reason other than "nobody subscribed" or "duplicate" */
  PUBLISH_FAILED: 'P2P_ERROR_PUBLISH_FAILED',
  /** a gossip message to publish is larger than this node's own limit for its topic */
  MESSAGE_TOO_LARGE: 'P2P_ERROR_MESSAGE_TOO_LARGE',
  /** a status or range request frame does not decode (wrong RLP shape, bad lengths) */
  MALFORMED_MESSAGE: 'P2P_ERROR_MALFORMED_MESSAGE',
  /** the network was stopped */
  STOPPED: 'P2P_ERROR_STOPPED',
} as const
/** One of {@link P2P_ERROR}. */
export type P2pErrorCode = (typeof P2P_ERROR)[keyof typeof P2P_ERROR]
