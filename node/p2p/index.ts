// First: Node 20 needs Promise.withResolvers before any libp2p module evaluates (polyfill.ts).
import './polyfill.ts'

export { createP2p, defaultP2pOptions, resolveP2pOptions } from './createP2p.ts'
export type { P2pLimits, P2pOptions, P2pSettings } from './createP2p.ts'
export { P2P_ERROR } from './p2pErrors.ts'
export type { P2pErrorCode } from './p2pErrors.ts'
export type { P2pMetricsOptions } from './p2pMetrics.ts'
export { PEER_KEY_FILE, loadPeerKey } from './peerKey.ts'
export { protocolNames } from './protocolNames.ts'
export type { ProtocolNames } from './protocolNames.ts'
export type { GossipVerdict, P2pHandlers, P2pNetwork, PeerEvent, PeerHead, PeerInfo, PeerOffence } from './types.ts'
