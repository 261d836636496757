// blocks_by_range and the status exchange between in-process networks on 127.0.0.1.
import t from 'tap'
import { P2P_ERROR, type P2pNetwork } from '../../../node/p2p/index.ts'
import { fakeBlock, fakeHandlers, startTestNet, stopAll, waitConnected } from '../../fixtures/p2p/testNetwork.ts'
import { poll } from '../../fixtures/poll.ts'

t.teardown(stopAll)

/** gossipsub caches scores for up to a heartbeat (1 s): wait for the offence to show. */
async function scoreFalls(at: P2pNetwork, peerId: string, what = 'the score falls'): Promise<void> {
  await poll(() => (at.peers().find((p) => p.peerId === peerId)?.score ?? 0) < 0, { timeoutMs: 3_000, what })
}

const chain = Array.from({ length: 200 }, (_, i) => fakeBlock(i, 50))

t.test('blocks_by_range: happy path, count clamped to maxRangeBlocks, end of chain', async (t) => {
  const server = await startTestNet({ handlers: fakeHandlers(chain), limits: { maxRangeBlocks: 16 } })
  const client = await startTestNet({ bootnodes: server.p2p.multiaddrs() })
  await waitConnected(server.p2p, client.p2p)
  const blocks = await client.p2p.blocksByRange(server.p2p.peerId, 5n, 10)
  t.same(
    blocks.map((b) => Buffer.from(b)),
    chain.slice(5, 15).map((b) => Buffer.from(b)),
    'blocks 5..14 in order',
  )
  t.equal((await client.p2p.blocksByRange(server.p2p.peerId, 0n, 100)).length, 16, 'count > maxRangeBlocks is clamped, not refused')
  t.equal((await client.p2p.blocksByRange(server.p2p.peerId, 195n, 10)).length, 5, 'stops at the last block held')
  t.same(await client.p2p.blocksByRange(server.p2p.peerId, 1000n, 10), [], 'a range beyond the head is empty')
})

t.test('blocks_by_range: the per-peer rate limit refuses with P2P_ERROR_RATE_LIMITED', async (t) => {
  const server = await startTestNet({ handlers: fakeHandlers(chain), limits: { rangeRateLimitBlocks: 20, rangeRateLimitWindowMs: 60_000 } })
  const client = await startTestNet({ bootnodes: server.p2p.multiaddrs() })
  await waitConnected(server.p2p, client.p2p)
  t.equal((await client.p2p.blocksByRange(server.p2p.peerId, 0n, 15)).length, 15)
  await t.rejects(client.p2p.blocksByRange(server.p2p.peerId, 15n, 15), { code: P2P_ERROR.RATE_LIMITED })
  await scoreFalls(server.p2p, client.p2p.peerId, 'counts against the requester')
})

t.test('blocks_by_range: client-side bounds and the timeout', async (t) => {
  const handlers = fakeHandlers(chain)
  const server = await startTestNet({ handlers })
  const strict = await startTestNet({ bootnodes: server.p2p.multiaddrs(), limits: { maxBlockMessageBytes: 40, requestTimeoutMs: 300 } })
  await waitConnected(server.p2p, strict.p2p)
  await t.rejects(strict.p2p.blocksByRange(server.p2p.peerId, 0n, 2), { code: P2P_ERROR.INVALID_RESPONSE }, 'a chunk over maxBlockMessageBytes')
  handlers.chain = chain.map((b) => b.subarray(0, 30))
  handlers.rangeDelayMs = 1_000
  await t.rejects(strict.p2p.blocksByRange(server.p2p.peerId, 0n, 2), { code: P2P_ERROR.TIMEOUT })
  await scoreFalls(strict.p2p, server.p2p.peerId, 'the timeout counts against the server')
  await t.rejects(strict.p2p.blocksByRange('not-a-peer-id', 0n, 1), { code: P2P_ERROR.REQUEST_FAILED })
})

t.test('blocks_by_range: a malformed request gets INVALID_REQUEST and counts against the sender', async (t) => {
  const server = await startTestNet({ handlers: fakeHandlers(chain) })
  const client = await startTestNet({ bootnodes: server.p2p.multiaddrs() })
  await waitConnected(server.p2p, client.p2p)
  // count 0 is malformed on the wire; the server answers with an error code, the client a typed error
  await t.rejects(client.p2p.blocksByRange(server.p2p.peerId, 0n, 0), { code: P2P_ERROR.REQUEST_FAILED })
  await scoreFalls(server.p2p, client.p2p.peerId)
})

t.test('status: heads are exchanged on connect and refreshed by peerHeads()', async (t) => {
  const a = await startTestNet({ handlers: fakeHandlers(chain) })
  const b = await startTestNet({ bootnodes: a.p2p.multiaddrs() })
  await waitConnected(a.p2p, b.p2p)
  await poll(() => b.p2p.peers()[0]?.head, { timeoutMs: 5_000, what: 'the status answer at the dialer' })
  await poll(() => a.p2p.peers()[0]?.head, { timeoutMs: 5_000, what: 'the status request at the listener' })
  t.equal(b.p2p.peers()[0]!.head!.number, 199n)
  a.handlers.headNumber = 250n
  const heads = await poll(
    async () => {
      const heads = await b.p2p.peerHeads()
      return heads[0]?.number === 250n ? heads : undefined
    },
    { timeoutMs: 5_000, intervalMs: 500, what: 'the new head after the status went stale' },
  )
  t.same(
    heads.map((h) => h.peerId),
    [a.p2p.peerId],
  )
})

t.test('status: a peer on another genesis is disconnected', async (t) => {
  const a = await startTestNet()
  const other = await startTestNet({ genesisHash: new Uint8Array(32).fill(9), bootnodes: a.p2p.multiaddrs() })
  const events: boolean[] = []
  a.p2p.on('peer', (e) => events.push(e.connected))
  await poll(() => events.includes(false) && a.p2p.peerCount() === 0 && other.p2p.peerCount() === 0, {
    timeoutMs: 5_000,
    what: 'the genesis mismatch disconnect',
  })
  t.same(await a.p2p.peerHeads(), [])
})
