import './polyfill.ts'
import { isIP } from 'node:net'
import { type GossipSub, gossipsub } from '@chainsafe/libp2p-gossipsub'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { identify } from '@libp2p/identify'
import type { PeerId } from '@libp2p/interface'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import { createLibp2p } from 'libp2p'
import type { Logger } from 'pino'
import { OpenLedgerError } from '../../runtime/index.ts'
import { childLogger } from '../logger.ts'
import { createBootnodeDialer } from './bootnodeDialer.ts'
import { attachGossip, gossipOptions } from './gossip.ts'
import { P2P_ERROR } from './p2pErrors.ts'
import { type P2pMetricsOptions, createP2pMetrics } from './p2pMetrics.ts'
import { loadPeerKey } from './peerKey.ts'
import { DISCONNECT_SCORE, type LocalOffence, createPeerPenalties } from './peerScoring.ts'
import { protocolNames } from './protocolNames.ts'
import { createRateLimiter } from './rateLimiter.ts'
import { createReqResp } from './reqResp.ts'
import type { StatusMessage } from './statusMessage.ts'
import type { P2pHandlers, P2pNetwork, PeerEvent, PeerHead, PeerOffence } from './types.ts'

/** Size, count, rate and time limits of the network. */
export type P2pLimits = {
  /** largest sealed block accepted from gossip or in a range answer (4 MiB) */
  maxBlockMessageBytes: number
  /** largest tx accepted from gossip (128 KiB, geth's txMaxSize) */
  maxTxMessageBytes: number
  /** most blocks one range request is served (larger counts are clamped) */
  maxRangeBlocks: number
  /** most bytes of one range answer, served and accepted */
  maxRangeResponseBytes: number
  /** per-peer token bucket of the range server: this many blocks ... */
  rangeRateLimitBlocks: number
  /** ... refilled over this many milliseconds */
  rangeRateLimitWindowMs: number
  /** a request without a full answer by then fails (and counts against the peer) */
  requestTimeoutMs: number
}

/** Settings of {@link createP2p} that have defaults ({@link defaultP2pOptions}). */
export type P2pSettings = {
  /** IPv4 or IPv6 address to listen on */
  listenAddr: string
  /** TCP port; 0 picks a free one */
  port: number
  /** multiaddrs ending in /p2p/<peer id>, dialled at start and whenever they drop */
  bootnodes: string[]
  /** libp2p connectionManager.maxConnections */
  maxPeers: number
  limits: P2pLimits
  /** how long a peer below the disconnect score stays banned */
  banMs: number
  /** how long publishBlock waits for a first subscriber before returning 0 */
  publishWaitMs: number
  /** bootnode redial backoff: first delay, doubling up to the max */
  bootnodeRedialMinMs: number
  bootnodeRedialMaxMs: number
}

/** Options of {@link createP2p}: the chain, the node's handlers, and any {@link P2pSettings} to override. */
export type P2pOptions = Partial<Omit<P2pSettings, 'limits'>> & {
  /** the node's datadir (the peer key lives in <datadir>/p2p/peer.key) */
  datadir: string
  chainId: bigint
  /** 32-byte genesis block hash: peers on another genesis are disconnected */
  genesisHash: Uint8Array
  handlers: P2pHandlers
  /** parent logger; node/p2p logs as "p2p", "p2p:gossip", "p2p:reqresp" */
  logger: Logger
  limits?: Partial<P2pLimits>
  /** register the p2p metrics on the node's registry */
  metrics?: P2pMetricsOptions
}

/** Defaults of {@link P2pSettings}. */
export const defaultP2pOptions: P2pSettings = {
  listenAddr: '0.0.0.0',
  port: 9222,
  bootnodes: [],
  maxPeers: 50,
  limits: {
    maxBlockMessageBytes: 4 * 1024 * 1024,
    maxTxMessageBytes: 128 * 1024,
    maxRangeBlocks: 64,
    maxRangeResponseBytes: 16 * 1024 * 1024,
    // 4,096 blocks per 10 s: 64 full requests at once, then ~410 blocks/s per peer, above what
    // one validator imports (bench/RESULTS.md "sync / import": ~25-50 blocks/s of 100 transfers,
    // a few hundred of empty blocks), so an honest syncing node is never refused; a peer that asks
    // faster is refused (it backs off: node/sync) and repeated refusals cost it score
    rangeRateLimitBlocks: 4_096,
    rangeRateLimitWindowMs: 10_000,
    requestTimeoutMs: 10_000,
  },
  banMs: 10 * 60_000,
  // the v2 gossipsub stack learns subscriptions within ~1 s of a connect (shared/specs/p2p.md §5)
  publishWaitMs: 2_000,
  bootnodeRedialMinMs: 250,
  bootnodeRedialMaxMs: 10_000,
}

/** A peer's status is asked again by peerHeads() once it is older than this. */
const STATUS_MAX_AGE_MS = 2_000

/** Every option checked, the bootnodes parsed; throws P2P_ERROR_INVALID_OPTION / _INVALID_BOOTNODE naming the option. */
export function resolveP2pOptions(options: P2pOptions): P2pSettings & P2pOptions & { limits: P2pLimits; bootnodeAddrs: Multiaddr[] } {
  const o = { ...defaultP2pOptions, ...options, limits: { ...defaultP2pOptions.limits, ...options.limits } }
  const bad = (option: string, expected: string): never => {
    throw new OpenLedgerError(P2P_ERROR.INVALID_OPTION, `p2p option ${option} must be ${expected}`, { option })
  }
  if (isIP(o.listenAddr) === 0) bad('listenAddr', 'an IPv4 or IPv6 address')
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) bad('port', 'an integer from 0 to 65535')
  if (!Number.isInteger(o.maxPeers) || o.maxPeers < 1) bad('maxPeers', 'a positive integer')
  if (o.genesisHash.length !== 32) bad('genesisHash', '32 bytes')
  if (o.chainId <= 0n) bad('chainId', 'positive')
  for (const [name, value] of Object.entries(o.limits)) {
    if (!Number.isSafeInteger(value) || value < 1) bad(`limits.${name}`, 'a positive integer')
  }
  for (const name of ['banMs', 'publishWaitMs', 'bootnodeRedialMinMs', 'bootnodeRedialMaxMs'] as const) {
    if (!Number.isSafeInteger(o[name]) || o[name] < 0) bad(name, 'a non-negative integer')
  }
  const bootnodeAddrs = o.bootnodes.map((bootnode) => {
    let addr: Multiaddr | undefined
    try {
      addr = multiaddr(bootnode)
    } catch {
      // reported below with the entry named
    }
    if (addr === undefined || addr.getPeerId() === null) {
      throw new OpenLedgerError(P2P_ERROR.INVALID_BOOTNODE, `bootnode ${bootnode} is not a multiaddr ending in /p2p/<peer id>`, { bootnode })
    }
    return addr
  })
  return { ...o, bootnodeAddrs }
}

/**
 * Start the node's libp2p network: TCP + noise + yamux, identify, ping, gossipsub on the chain's
 * block and tx topics (gossip.ts), the status and blocks_by_range protocols (reqResp.ts), peer
 * scoring with disconnect and ban (peerScoring.ts), and bootnodes dialled and redialled.
 *
 * @example
 * const p2p = await createP2p({ datadir, chainId: 1337n, genesisHash, handlers, logger, bootnodes: [addr] })
 * log.info({ addrs: p2p.multiaddrs() }, 'p2p listening')
 * await p2p.publishBlock(encodeSealedBlock({ block, seal }))
 */
export async function createP2p(options: P2pOptions): Promise<P2pNetwork> {
  const o = resolveP2pOptions(options)
  const log = childLogger(o.logger, 'p2p')
  const names = protocolNames(o.chainId)
  const metrics = createP2pMetrics(o.metrics)
  const penalties = createPeerPenalties()
  const limiter = createRateLimiter({ capacity: o.limits.rangeRateLimitBlocks, refillMs: o.limits.rangeRateLimitWindowMs })
  const { key, created } = await loadPeerKey(o.datadir)
  const banned = (peerId: PeerId): boolean => penalties.isBanned(peerId.toString())

  const ip = isIP(o.listenAddr) === 6 ? 'ip6' : 'ip4'
  let libp2p: Awaited<ReturnType<typeof start>>
  const start = () =>
    createLibp2p({
      privateKey: key,
      addresses: { listen: [`/${ip}/${o.listenAddr}/tcp/${o.port}`] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      connectionManager: { maxConnections: o.maxPeers },
      connectionGater: { denyDialPeer: banned, denyInboundEncryptedConnection: banned, denyOutboundEncryptedConnection: banned },
      peerDiscovery: o.bootnodeAddrs.length > 0 ? [bootstrap({ list: o.bootnodes, timeout: 0 })] : [],
      services: {
        identify: identify(),
        ping: ping(),
        pubsub: gossipsub(gossipOptions(names, o.limits, penalties.appScore)),
      },
    })
  try {
    libp2p = await start()
  } catch (err) {
    throw new OpenLedgerError(P2P_ERROR.START_FAILED, `libp2p failed to start on ${o.listenAddr}:${o.port}`, { port: o.port }, { cause: err })
  }
  const pubsub = libp2p.services.pubsub as unknown as GossipSub
  const peerId = libp2p.peerId.toString()
  let stopped = false
  let stopping: Promise<void> | undefined
  const listeners = new Set<(event: PeerEvent) => void>()
  const statuses = new Map<string, { status: StatusMessage; at: number }>()

  /** The head a peer last reported in its status, if it has. */
  const headOf = (id: string): PeerHead | undefined => {
    const status = statuses.get(id)?.status
    return status === undefined ? undefined : { peerId: id, number: status.headNumber, hash: status.headHash }
  }
  const connectedPeers = (): string[] => [...new Set(libp2p.getConnections().map((c) => c.remotePeer.toString()))]

  async function disconnect(id: string, reason: string, ban: boolean): Promise<void> {
    if (ban) penalties.ban(id, o.banMs)
    log.info({ peerId: id, reason, banned: ban }, 'peer disconnected')
    try {
      await libp2p.hangUp(libp2p.getConnections().find((c) => c.remotePeer.toString() === id)!.remotePeer)
    } catch (err) {
      log.debug({ err, peerId: id }, 'hang up failed')
    }
  }

  /** Hang up and ban every peer whose score fell below DISCONNECT_SCORE. */
  function checkScores(): void {
    if (stopped) return
    for (const id of connectedPeers()) {
      const score = pubsub.getScore(id)
      // gossipsub scores only peers it has seen on a topic; the application score alone also counts
      if (score < DISCONNECT_SCORE || penalties.appScore(id) < DISCONNECT_SCORE) void disconnect(id, `score ${score.toFixed(1)}`, true)
    }
  }

  function penalize(id: string, offence: PeerOffence | LocalOffence): void {
    penalties.penalize(id, offence)
    log.debug({ peerId: id, offence, appScore: penalties.appScore(id) }, 'peer offence')
    checkScores()
  }

  const ownStatus = (): StatusMessage => {
    const head = o.handlers.head()
    return { genesisHash: o.genesisHash, headNumber: head.number, headHash: head.hash }
  }
  const onStatus = (id: string, status: StatusMessage): void => {
    if (!equalsBytes(status.genesisHash, o.genesisHash)) {
      log.debug({ peerId: id, genesis: bytesToHex(status.genesisHash) }, 'peer on another genesis')
      penalties.penalize(id, 'wrong_genesis')
      void disconnect(id, 'another genesis', true)
      return
    }
    statuses.set(id, { status, at: performance.now() })
  }

  const reqResp = await createReqResp({
    libp2p,
    names,
    limits: o.limits,
    handlers: o.handlers,
    ownStatus,
    onStatus,
    penalize,
    limiter,
    metrics,
    log: childLogger(o.logger, 'p2p:reqresp'),
  })
  const gossip = attachGossip({
    pubsub,
    names,
    limits: o.limits,
    handlers: o.handlers,
    metrics,
    log: childLogger(o.logger, 'p2p:gossip'),
    publishWaitMs: o.publishWaitMs,
    onVerdict: (_from, verdict) => {
      if (verdict === 'reject') checkScores()
    },
  })
  pubsub.addEventListener('gossipsub:heartbeat', checkScores)

  const emit = (event: PeerEvent): void => {
    metrics.setPeers(connectedPeers().length)
    for (const listener of listeners) listener(event)
  }
  libp2p.addEventListener('peer:connect', (evt) => {
    const id = evt.detail.toString()
    emit({ peerId: id, connected: true })
    // the dialer asks (and tells) the status; the listener learns it from the request
    const outbound = libp2p.getConnections(evt.detail).some((c) => c.direction === 'outbound')
    if (!outbound) return
    reqResp.requestStatus(id).catch((err) => {
      if (stopped) return
      log.debug({ err, peerId: id }, 'status exchange failed; hanging up')
      void disconnect(id, 'no status', false)
    })
  })
  libp2p.addEventListener('peer:disconnect', (evt) => {
    const id = evt.detail.toString()
    statuses.delete(id)
    limiter.forget(id)
    emit({ peerId: id, connected: false })
  })
  const dialer = createBootnodeDialer({
    libp2p,
    bootnodes: o.bootnodeAddrs,
    minBackoffMs: o.bootnodeRedialMinMs,
    maxBackoffMs: o.bootnodeRedialMaxMs,
    log,
  })
  log.info({ peerId, addrs: libp2p.getMultiaddrs().map(String), newKey: created }, 'p2p started')

  return {
    peerId,
    multiaddrs: () => libp2p.getMultiaddrs().map(String),
    peerCount: () => connectedPeers().length,
    peers: () =>
      libp2p.getConnections().map((c) => {
        const id = c.remotePeer.toString()
        const head = headOf(id)
        return { peerId: id, address: c.remoteAddr.toString(), score: pubsub.getScore(id), direction: c.direction, ...(head ? { head } : {}) }
      }),
    publishBlock: (data) => gossip.publishBlock(data),
    publishTx: (data) => gossip.publishTx(data),
    async peerHeads(): Promise<PeerHead[]> {
      const now = performance.now()
      const ids = connectedPeers()
      await Promise.all(
        ids.map(async (id) => {
          const known = statuses.get(id)
          if (known !== undefined && now - known.at <= STATUS_MAX_AGE_MS) return
          await reqResp.requestStatus(id).catch((err) => log.debug({ err, peerId: id }, 'status refresh failed'))
        }),
      )
      return ids.flatMap((id) => headOf(id) ?? [])
    },
    blocksByRange: (id, start, count) => reqResp.blocksByRange(id, start, count),
    reportPeer: penalize,
    on(_event, listener) {
      listeners.add(listener)
    },
    stop() {
      stopping ??= (async () => {
        stopped = true
        dialer.stop()
        gossip.stop()
        pubsub.removeEventListener('gossipsub:heartbeat', checkScores)
        listeners.clear()
        await libp2p.stop()
        log.info({ peerId }, 'p2p stopped')
      })()
      return stopping
    },
  }
}
