import type { PeerScoreParams, PeerScoreThresholds, TopicScoreParams } from '@chainsafe/libp2p-gossipsub/score'
import type { PeerOffence } from './types.ts'

/** Offences node/p2p itself records, beside those a caller reports through reportPeer. */
export type LocalOffence = 'rate_limited' | 'malformed_request' | 'wrong_genesis'

/**
 * Application score (gossipsub P5, weight 1) each offence costs. Sized against
 * {@link DISCONNECT_SCORE} = -400: two invalid blocks from range sync (hard evidence: the seal or
 * the roots do not check out) disconnect a peer; four invalid responses do; timeouts and rate
 * limit hits, which an honest but slow or eager peer can cause, need twenty.
 */
export const OFFENCE_PENALTY: Record<PeerOffence | LocalOffence, number> = {
  invalid_block: 200,
  invalid_response: 100,
  malformed_request: 100,
  timeout: 20,
  rate_limited: 20,
  // another chain: nothing this peer says is of use; disconnect at once
  wrong_genesis: 1000,
}

/** Application penalties halve every minute, so an honest peer's occasional timeout is forgotten. */
export const PENALTY_HALF_LIFE_MS = 60_000

/**
 * Below this score a peer is hung up and banned. Equal to the graylist threshold: a peer whose
 * messages gossipsub already ignores is of no use connected.
 */
export const DISCONNECT_SCORE = -400

/**
 * Gossipsub score thresholds (all per peer, in score points):
 * - gossip -100: below it we neither send it IHAVE gossip nor act on its IHAVEs; one invalid
 *   block (-50) stays above, two (-200) fall below.
 * - publish -200: below it our own publishes skip it (flood publish); two invalid blocks.
 * - graylist -400: below it every RPC from it is dropped unread; three invalid blocks (-450).
 * - acceptPX 100: peer exchange only from peers that earned it, beyond what deliveries alone give
 *   (the topic cap is 50), so in practice only through a future positive application score.
 * - opportunisticGraft 5: a mesh whose median score is under 5 grafts better peers (lodestar's value).
 */
export const SCORE_THRESHOLDS: PeerScoreThresholds = {
  gossipThreshold: -100,
  publishThreshold: -200,
  graylistThreshold: DISCONNECT_SCORE,
  acceptPXThreshold: 100,
  opportunisticGraftThreshold: 5,
}

/** Topic parameters shared by both topics; the per-topic numbers are set in {@link peerScoreParams}. */
const TOPIC_BASE: Omit<TopicScoreParams, 'topicWeight' | 'firstMessageDeliveriesWeight' | 'firstMessageDeliveriesCap' | 'invalidMessageDeliveriesWeight'> = {
  // P1 time in mesh: off. On small validator networks everybody is in the mesh from the start;
  // rewarding tenure would only delay disconnecting an old peer that turns bad.
  timeInMeshWeight: 0,
  timeInMeshQuantum: 1_000,
  timeInMeshCap: 0,
  // P2 decays by 10% a second: the reward follows recent usefulness.
  firstMessageDeliveriesDecay: 0.9,
  // P3 / P3b mesh delivery deficits: off. Blocks come at the sequencer's pace (and txs at the
  // users'), so a quiet mesh peer is not a faulty one; lodestar also ran without P3.
  meshMessageDeliveriesWeight: 0,
  meshMessageDeliveriesDecay: 0.9,
  meshMessageDeliveriesCap: 10,
  meshMessageDeliveriesThreshold: 1,
  meshMessageDeliveriesWindow: 100,
  meshMessageDeliveriesActivation: 10_000,
  meshFailurePenaltyWeight: 0,
  meshFailurePenaltyDecay: 0.9,
  // P4 counter decays 3% a second (half-life ~23 s): three invalid blocks sent within ~10 s
  // still cross the disconnect line; one a minute never does.
  invalidMessageDeliveriesDecay: 0.97,
}

/**
 * The gossipsub score parameters for the two topics of one chain, set deliberately (not the
 * library defaults, which score no topic at all):
 * - blocks (weight 1): each invalid block counts in P4, squared, times -50: 1 → -50, 2 → -200,
 *   3 → -450 (below {@link DISCONNECT_SCORE}). A valid first delivery earns +1, capped at 20.
 * - txs (weight 0.5): a tx can be rejected for reasons a relaying peer could not see, so its
 *   P4 weight is milder, -20: 5 invalid txs → -250, 7 → -490. A first delivery earns +0.1,
 *   capped at 100 deliveries (+5 after the topic weight).
 * - topicScoreCap 50: positive topic score never outweighs more than one application offence.
 * - P5 application score, weight 1: minus the decayed {@link OFFENCE_PENALTY} sum.
 * - P6 IP colocation -5 per peer squared beyond 10 peers on one IP: operators run a few
 *   validators behind one NAT (and tests run everything on 127.0.0.1); a Sybil farm does not pass.
 * - P7 behaviour (GRAFT during backoff, broken IWANT promises) -10 per count squared beyond 6,
 *   decaying 10% a second (lodestar's shape).
 * - decayInterval 1 s, decayToZero 0.01, retainScore 10 min: a disconnected peer's score is kept
 *   so that reconnecting does not launder it.
 */
export function peerScoreParams(topics: { blocks: string; txs: string }, appSpecificScore: (peerId: string) => number): PeerScoreParams {
  return {
    topics: {
      [topics.blocks]: {
        ...TOPIC_BASE,
        topicWeight: 1,
        firstMessageDeliveriesWeight: 1,
        firstMessageDeliveriesCap: 20,
        invalidMessageDeliveriesWeight: -50,
      },
      [topics.txs]: {
        ...TOPIC_BASE,
        topicWeight: 0.5,
        firstMessageDeliveriesWeight: 0.1,
        firstMessageDeliveriesCap: 100,
        invalidMessageDeliveriesWeight: -20,
      },
    },
    topicScoreCap: 50,
    appSpecificScore,
    appSpecificWeight: 1,
    IPColocationFactorWeight: -5,
    IPColocationFactorThreshold: 10,
    IPColocationFactorWhitelist: new Set(),
    behaviourPenaltyWeight: -10,
    behaviourPenaltyThreshold: 6,
    behaviourPenaltyDecay: 0.9,
    decayInterval: 1_000,
    decayToZero: 0.01,
    retainScore: 600_000,
  }
}

/** Application penalties and bans, by peer id. */
export type PeerPenalties = {
  /** record an offence */
  penalize(peerId: string, offence: PeerOffence | LocalOffence): void
  /** minus the decayed penalty sum (0 for a peer with none): gossipsub's appSpecificScore */
  appScore(peerId: string): number
  /** refuse connections to and from `peerId` for `ms` */
  ban(peerId: string, ms: number): void
  isBanned(peerId: string): boolean
}

/**
 * Track application penalties (decaying with {@link PENALTY_HALF_LIFE_MS}) and bans.
 *
 * @example
 * const penalties = createPeerPenalties()
 * penalties.penalize(peerId, 'timeout')
 */
export function createPeerPenalties(now: () => number = () => performance.now()): PeerPenalties {
  const penalties = new Map<string, { value: number; at: number }>()
  const bans = new Map<string, number>()

  function current(peerId: string): number {
    const entry = penalties.get(peerId)
    if (entry === undefined) return 0
    const t = now()
    entry.value *= 0.5 ** ((t - entry.at) / PENALTY_HALF_LIFE_MS)
    entry.at = t
    if (entry.value < 1) {
      penalties.delete(peerId)
      return 0
    }
    return entry.value
  }

  return {
    penalize(peerId, offence) {
      const value = current(peerId) + OFFENCE_PENALTY[offence]
      penalties.set(peerId, { value, at: now() })
    },
    appScore: (peerId) => -current(peerId),
    ban(peerId, ms) {
      bans.set(peerId, now() + ms)
    },
    isBanned(peerId) {
      const until = bans.get(peerId)
      if (until === undefined) return false
      if (until > now()) return true
      bans.delete(peerId)
      return false
    },
  }
}
