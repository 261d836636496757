import { validatePeerScoreParams, validatePeerScoreThresholds } from '@chainsafe/libp2p-gossipsub/score'
import t from 'tap'
import { DISCONNECT_SCORE, PENALTY_HALF_LIFE_MS, SCORE_THRESHOLDS, createPeerPenalties, peerScoreParams } from '../../../../node/p2p/peerScoring.ts'

const topics = { blocks: '/openledger/1/blocks/1', txs: '/openledger/1/txs/1' }

t.test('the score parameters and thresholds pass gossipsub validation', async (t) => {
  t.doesNotThrow(() => validatePeerScoreParams(peerScoreParams(topics, () => 0)))
  t.doesNotThrow(() => validatePeerScoreThresholds(SCORE_THRESHOLDS))
  t.equal(SCORE_THRESHOLDS.graylistThreshold, DISCONNECT_SCORE)
})

t.test('invalid messages cross the disconnect line at the documented counts (P4 = count squared times weight)', async (t) => {
  const params = peerScoreParams(topics, () => 0)
  const p4 = (topic: string, count: number) => params.topics[topic]!.invalidMessageDeliveriesWeight * count * count * params.topics[topic]!.topicWeight
  t.ok(p4(topics.blocks, 2) >= DISCONNECT_SCORE, 'two invalid blocks: still connected')
  t.ok(p4(topics.blocks, 3) < DISCONNECT_SCORE, 'three invalid blocks: disconnected')
  t.ok(p4(topics.txs, 6) >= DISCONNECT_SCORE, 'six invalid txs: still connected')
  t.ok(p4(topics.txs, 7) < DISCONNECT_SCORE, 'seven invalid txs: disconnected')
  t.equal(params.appSpecificScore('x'), 0)
})

t.test('penalties add up, decay by half-life, and bans expire', async (t) => {
  let now = 0
  const penalties = createPeerPenalties(() => now)
  t.equal(penalties.appScore('p'), -0)
  penalties.penalize('p', 'invalid_block')
  penalties.penalize('p', 'timeout')
  t.equal(penalties.appScore('p'), -220)
  now = PENALTY_HALF_LIFE_MS
  t.equal(Math.round(penalties.appScore('p')), -110)
  penalties.penalize('p', 'invalid_block')
  penalties.penalize('p', 'invalid_block')
  t.ok(penalties.appScore('p') < DISCONNECT_SCORE, 'repeated invalid blocks cross the disconnect line')
  penalties.ban('p', 1000)
  t.ok(penalties.isBanned('p'))
  t.notOk(penalties.isBanned('q'))
  now += 1000
  t.notOk(penalties.isBanned('p'), 'the ban expires')
})
