// Start, restart and stop: the persistent peer id, bootnode redial, idempotent stop (on Node 20,
// starting at all proves the Promise.withResolvers polyfill).
import t from 'tap'
import { startTestNet, stopAll, tempDatadir, waitConnected } from '../../fixtures/p2p/testNetwork.ts'
import { poll } from '../../fixtures/poll.ts'

t.teardown(stopAll)

t.test('a restart on the same datadir keeps the peer id, and a bootnode that comes back is redialled', async (t) => {
  const datadir = await tempDatadir()
  const boot = await startTestNet({ datadir })
  const port = Number(boot.p2p.multiaddrs()[0]!.split('/tcp/')[1]!.split('/')[0])
  const follower = await startTestNet({ bootnodes: boot.p2p.multiaddrs() })
  await waitConnected(boot.p2p, follower.p2p)
  const events: { peerId: string; connected: boolean }[] = []
  follower.p2p.on('peer', (e) => events.push(e))

  await boot.p2p.stop()
  await boot.p2p.stop()
  t.pass('stop is idempotent')
  await poll(() => follower.p2p.peerCount() === 0, { timeoutMs: 5_000, what: 'the follower noticing the bootnode left' })

  const again = await startTestNet({ datadir, port })
  t.equal(again.p2p.peerId, boot.p2p.peerId, 'same peer key, same peer id')
  await waitConnected(again.p2p, follower.p2p, 8_000)
  t.same(
    events.map((e) => e.connected),
    [false, true],
    'peer events: gone, then back',
  )
})
