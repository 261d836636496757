// Gossip between in-process networks on 127.0.0.1: delivery, dedup, validation, scoring.
import { Registry } from 'prom-client'
import t from 'tap'
import { P2P_ERROR } from '../../../node/p2p/index.ts'
import { createMaliciousPeer } from '../../fixtures/p2p/maliciousPeer.ts'
import {
  TEST_CHAIN_ID,
  TEST_GENESIS,
  fakeBlock,
  publishBlockUntilHeard,
  startTestNet,
  stopAll,
  waitConnected,
  waitRelay,
} from '../../fixtures/p2p/testNetwork.ts'
import { poll } from '../../fixtures/poll.ts'

t.teardown(stopAll)

const GARBAGE = 0xff
const isGarbage = (data: Uint8Array) => data[0] === GARBAGE

t.test('blocks and txs reach every node of a triangle once each', async (t) => {
  const registry = new Registry()
  const a = await startTestNet({ metrics: { registry, prefix: 'openledger_' } })
  const c = await startTestNet({ bootnodes: a.p2p.multiaddrs() })
  const b = await startTestNet({ bootnodes: [...a.p2p.multiaddrs(), ...c.p2p.multiaddrs()] })
  await waitConnected(a.p2p, b.p2p)
  await waitConnected(b.p2p, c.p2p)
  await waitConnected(a.p2p, c.p2p)
  await waitRelay(c.p2p, a.handlers)
  await waitRelay(c.p2p, b.handlers)
  a.handlers.blocks = []
  const block = fakeBlock(1)
  await publishBlockUntilHeard(c.p2p, block)
  await poll(() => a.handlers.blocks.length === 1 && b.handlers.blocks.length === 1, { timeoutMs: 5_000, what: 'the block at a and b' })
  t.same(Buffer.from(a.handlers.blocks[0]!.data), Buffer.from(block))
  t.equal(c.handlers.blocks.length, 0, 'own messages are not validated by our handlers')
  t.equal(await c.p2p.publishBlock(block), 0, 'publishing the same bytes again reaches nobody (no throw)')

  const tx = Uint8Array.of(2, 0xaa, 0xbb)
  t.ok((await b.p2p.publishTx(tx)) >= 1)
  await poll(() => a.handlers.txs.length === 1 && c.handlers.txs.length === 1, { timeoutMs: 5_000, what: 'the tx at a and c' })
  t.same(Buffer.from(c.handlers.txs[0]!.data), Buffer.from(tx))
  // b reached a and c directly and each forwarded it to the other: one handler call each still
  await poll(() => a.p2p.peers().every((p) => p.score >= 0), { timeoutMs: 2_000, what: 'scores settled' })
  t.equal(a.handlers.txs.length, 1, 'a duplicate (same message id) is not validated twice')
  t.equal(c.handlers.txs.length, 1)
  t.equal(b.p2p.peerCount(), 2)
  const metrics = await registry.metrics()
  t.match(metrics, 'openledger_p2p_peers 2')
  t.match(metrics, /openledger_p2p_gossip_received_total\{topic="txs",verdict="accept"\} 1/)
  t.match(metrics, /openledger_p2p_req_served_total\{protocol="status",result="success"\} \d/)
})

t.test('publishing with nobody subscribed returns 0; over the own limit is a typed error', async (t) => {
  const lone = await startTestNet({ publishWaitMs: 50, limits: { maxTxMessageBytes: 10 } })
  t.equal(await lone.p2p.publishBlock(fakeBlock(2)), 0)
  t.equal(await lone.p2p.publishTx(Uint8Array.of(1)), 0)
  await t.rejects(lone.p2p.publishTx(new Uint8Array(11)), { code: P2P_ERROR.MESSAGE_TOO_LARGE })
})

t.test('oversized, garbage and throwing-handler messages stop at the first honest node', async (t) => {
  const a = await startTestNet({ limits: { maxBlockMessageBytes: 64 * 1024, maxTxMessageBytes: 1024 } })
  const b = await startTestNet({ bootnodes: a.p2p.multiaddrs() })
  await waitConnected(a.p2p, b.p2p)
  a.handlers.blockVerdict = (data) => (isGarbage(data) ? 'reject' : data[0] === 0xee ? Promise.reject(new Error('handler bug')) : 'accept')
  b.handlers.blockVerdict = a.handlers.blockVerdict
  const evil = await createMaliciousPeer({ chainId: TEST_CHAIN_ID, genesisHash: TEST_GENESIS, bootnode: a.p2p.multiaddrs()[0]! })
  await poll(() => evil.isConnected(), { timeoutMs: 5_000, what: 'the malicious peer connected' })

  // the path evil -> a -> b works for valid blocks
  await waitRelay(evil.p2p, b.handlers)
  a.handlers.blocks = []
  await evil.publishBlock(fakeBlock(10))
  await poll(() => b.handlers.blocks.length === 1, { timeoutMs: 5_000, what: 'the valid block relayed to b' })

  const oversized = fakeBlock(11, 64 * 1024 + 1)
  await evil.publishBlock(oversized)
  await evil.publishTx(new Uint8Array(1025).fill(3))
  const throwing = fakeBlock(12)
  throwing[0] = 0xee
  await evil.publishBlock(throwing)
  const garbage = fakeBlock(13)
  garbage[0] = GARBAGE
  await evil.publishBlock(garbage)
  await poll(() => a.handlers.blocks.some((m) => isGarbage(m.data)), { timeoutMs: 5_000, what: 'the garbage at a' })
  t.notOk(
    a.handlers.blocks.some((m) => m.data.length > 64 * 1024),
    'the oversized block never reached the handler',
  )
  t.equal(a.handlers.txs.length, 0, 'nor the oversized tx')
  t.ok(
    a.handlers.blocks.some((m) => m.data[0] === 0xee),
    'the throwing handler was called (and the node lives on)',
  )
  // a valid block published after them by a reaches b: b has processed everything before it
  await waitRelay(a.p2p, b.handlers)
  await publishBlockUntilHeard(a.p2p, fakeBlock(14))
  await poll(() => b.handlers.blocks.some((m) => m.data[4] === 14 % 251), { timeoutMs: 5_000, what: 'the later block at b' })
  t.same(
    b.handlers.blocks.map((m) => m.data[4]),
    [10, 14],
    'b saw only the accepted blocks: rejected, oversized and ignored ones were not forwarded',
  )
})

t.test('a peer sending three invalid blocks is disconnected within seconds and banned', async (t) => {
  const a = await startTestNet()
  a.handlers.blockVerdict = (data) => (isGarbage(data) ? 'reject' : 'accept')
  const evil = await createMaliciousPeer({ chainId: TEST_CHAIN_ID, genesisHash: TEST_GENESIS, bootnode: a.p2p.multiaddrs()[0]! })
  await poll(() => evil.isConnected(), { timeoutMs: 5_000, what: 'the malicious peer connected' })
  const started = performance.now()
  for (let i = 0; i < 3; i++) {
    const garbage = fakeBlock(20 + i)
    garbage[0] = GARBAGE
    await poll(async () => (await evil.publishBlock(garbage)) > 0 || undefined, { timeoutMs: 5_000, what: `a subscriber for garbage ${i}` })
  }
  await poll(() => !evil.isConnected() && !a.p2p.peers().some((p) => p.peerId === evil.peerId), {
    timeoutMs: 5_000,
    what: () => `the malicious peer hung up (score ${a.p2p.peers().find((p) => p.peerId === evil.peerId)?.score})`,
  })
  t.ok(performance.now() - started < 5_000, 'disconnected within a few seconds')
  t.equal(a.handlers.blocks.length, 3)
  // banned: a's gater refuses to dial it (and its own redials are refused inbound)
  await t.rejects(a.p2p.blocksByRange(evil.peerId, 0n, 1), { code: P2P_ERROR.REQUEST_FAILED })
  t.notOk(evil.isConnected(), 'still out after its redials')
})
