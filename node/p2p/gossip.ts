import './polyfill.ts'
import { createHash } from 'node:crypto'
import type { GossipSub, GossipsubOpts } from '@chainsafe/libp2p-gossipsub'
import { TopicValidatorResult } from '@libp2p/interface'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Logger } from 'pino'
import { OpenLedgerError } from '../../runtime/index.ts'
import { P2P_ERROR } from './p2pErrors.ts'
import type { P2pMetrics } from './p2pMetrics.ts'
import { SCORE_THRESHOLDS, peerScoreParams } from './peerScoring.ts'
import type { ProtocolNames } from './protocolNames.ts'
import type { GossipVerdict, P2pHandlers } from './types.ts'

/** Size limits of gossip messages, in bytes. */
export type GossipLimits = { maxBlockMessageBytes: number; maxTxMessageBytes: number }

/** Gossipsub's own RPC framing (protobuf fields, topic) around one message's data. */
const RPC_OVERHEAD_BYTES = 1024

const VERDICT_RESULT: Record<GossipVerdict, TopicValidatorResult> = {
  accept: TopicValidatorResult.Accept,
  ignore: TopicValidatorResult.Ignore,
  reject: TopicValidatorResult.Reject,
}

/**
 * Gossipsub options for one chain: StrictNoSign (blocks and txs carry their own signatures;
 * shared/specs/README.md "Gossip"), message id = keccak256(data) (a tx's id is its hash), async
 * validation (a message is forwarded only once our handler accepts it), only our two topics, the
 * scoring of peerScoring.ts. An inbound RPC frame may be up to twice the larger topic limit: a
 * message over a topic's limit but under that still decodes and is rejected by our size check,
 * so it counts against the sender; a larger frame is dropped by the stream decoder.
 */
export function gossipOptions(names: ProtocolNames, limits: GossipLimits, appSpecificScore: (peerId: string) => number): Partial<GossipsubOpts> {
  return {
    globalSignaturePolicy: 'StrictNoSign',
    msgIdFn: (msg) => keccak_256(msg.data),
    // a cheap native hash drops exact duplicates before the keccak above runs (a collision only
    // costs a dropped message: gossipsub re-checks with msgIdFn, see its fastMsgIdCache)
    fastMsgIdFn: (rpcMsg) =>
      createHash('sha256')
        .update(rpcMsg.data ?? new Uint8Array())
        .digest('base64'),
    asyncValidation: true,
    emitSelf: false,
    allowedTopics: [names.blocksTopic, names.txsTopic],
    maxInboundDataLength: 2 * Math.max(limits.maxBlockMessageBytes, limits.maxTxMessageBytes) + RPC_OVERHEAD_BYTES,
    // we own the duplicate policy (publishing the same bytes twice is not an error)
    ignoreDuplicatePublishError: true,
    scoreParams: peerScoreParams({ blocks: names.blocksTopic, txs: names.txsTopic }, appSpecificScore),
    scoreThresholds: SCORE_THRESHOLDS,
  }
}

/** What {@link attachGossip} needs. */
export type GossipContext = {
  pubsub: GossipSub
  names: ProtocolNames
  limits: GossipLimits
  handlers: Pick<P2pHandlers, 'onBlockMessage' | 'onTxMessage'>
  metrics: P2pMetrics
  log: Logger
  /** how long publishBlock waits for a first subscriber */
  publishWaitMs: number
  /** called after each verdict (the network re-checks scores after a reject) */
  onVerdict(peerId: string, verdict: GossipVerdict): void
}

/** Publishing on the two topics. */
export type Gossip = {
  publishBlock(data: Uint8Array): Promise<number>
  publishTx(data: Uint8Array): Promise<number>
  stop(): void
}

/**
 * Subscribe to the chain's block and tx topics, validate each inbound message (size first, then
 * the handler's verdict; a handler that throws counts as 'ignore' and is logged) and report the
 * verdict to gossipsub, which scores the sender and forwards only accepted messages.
 *
 * @example
 * const gossip = attachGossip({ pubsub: libp2p.services.pubsub, names, limits, handlers, metrics, log, publishWaitMs: 2000, onVerdict })
 */
export function attachGossip(ctx: GossipContext): Gossip {
  const { pubsub, names, limits, log } = ctx
  let stopped = false

  async function onMessage(
    evt: CustomEvent<{ propagationSource: { toString(): string }; msgId: string; msg: { topic: string; data: Uint8Array } }>,
  ): Promise<void> {
    const { propagationSource, msgId, msg } = evt.detail
    const from = propagationSource.toString()
    const topic = msg.topic === names.blocksTopic ? 'blocks' : 'txs'
    const limit = topic === 'blocks' ? limits.maxBlockMessageBytes : limits.maxTxMessageBytes
    let verdict: GossipVerdict
    if (msg.data.length > limit) {
      log.debug({ from, topic, bytes: msg.data.length, limit }, 'gossip message over the size limit')
      verdict = 'reject'
    } else {
      try {
        verdict = topic === 'blocks' ? await ctx.handlers.onBlockMessage(msg.data, from) : await ctx.handlers.onTxMessage(msg.data, from)
      } catch (err) {
        log.warn({ err, from, topic }, 'gossip handler threw; message ignored')
        verdict = 'ignore'
      }
    }
    if (stopped) return
    pubsub.reportMessageValidationResult(msgId, from, VERDICT_RESULT[verdict])
    ctx.metrics.gossipReceived(topic, verdict)
    if (verdict === 'reject') log.debug({ from, topic }, 'gossip message rejected')
    ctx.onVerdict(from, verdict)
  }
  const listener = (evt: Event): void => void onMessage(evt as Parameters<typeof onMessage>[0])
  pubsub.addEventListener('gossipsub:message', listener)
  pubsub.subscribe(names.blocksTopic)
  pubsub.subscribe(names.txsTopic)

  /** Resolve once `topic` has a subscriber, or with false after `ms`. */
  function waitForSubscriber(topic: string, ms: number): Promise<boolean> {
    if (pubsub.getSubscribers(topic).length > 0) return Promise.resolve(true)
    return new Promise((resolve) => {
      const done = (found: boolean): void => {
        clearTimeout(timer)
        pubsub.removeEventListener('subscription-change', check)
        resolve(found)
      }
      const check = (): void => {
        if (pubsub.getSubscribers(topic).length > 0) done(true)
      }
      const timer = setTimeout(() => done(false), ms)
      pubsub.addEventListener('subscription-change', check)
    })
  }

  async function publish(kind: 'blocks' | 'txs', data: Uint8Array): Promise<number> {
    if (stopped) throw new OpenLedgerError(P2P_ERROR.STOPPED, 'the p2p network is stopped', {})
    const limit = kind === 'blocks' ? limits.maxBlockMessageBytes : limits.maxTxMessageBytes
    if (data.length > limit) throw new OpenLedgerError(P2P_ERROR.MESSAGE_TOO_LARGE, `gossip ${kind} message is over the limit`, { bytes: data.length, limit })
    const topic = kind === 'blocks' ? names.blocksTopic : names.txsTopic
    // blocks wait briefly for a subscriber; after that (as for txs) nobody listening is not an
    // error: a lagging peer recovers blocks by range sync, and clients resubmit txs
    if (kind === 'blocks' && !(await waitForSubscriber(topic, ctx.publishWaitMs))) {
      log.debug({ topic }, 'no subscriber; block not gossiped')
      return 0
    }
    try {
      const { recipients } = await pubsub.publish(topic, data, { allowPublishToZeroTopicPeers: true })
      ctx.metrics.gossipPublished(kind)
      return recipients.length
    } catch (err) {
      throw new OpenLedgerError(P2P_ERROR.PUBLISH_FAILED, `gossip publish on ${kind} failed`, { topic }, { cause: err })
    }
  }

  return {
    publishBlock: (data) => publish('blocks', data),
    publishTx: (data) => publish('txs', data),
    stop() {
      stopped = true
      pubsub.removeEventListener('gossipsub:message', listener)
    },
  }
}
