// admin_peers: connected peers with their score and the head they reported.
import t from 'tap'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

t.test('admin_peers lists the connected peers', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  t.same((await h.rpc('admin_peers')).result, [], 'none without p2p')
  h.backend.p2pPeers = [
    { id: 'peerA', address: '/ip4/127.0.0.1/tcp/4001', direction: 'outbound', score: -12.5, head: { number: 258n, hash: new Uint8Array(32).fill(0xab) } },
    { id: 'peerB', address: '/ip4/127.0.0.1/tcp/4002', direction: 'inbound', score: 0, head: undefined },
  ]
  t.same((await h.rpc('admin_peers')).result, [
    { id: 'peerA', address: '/ip4/127.0.0.1/tcp/4001', direction: 'outbound', score: -12.5, head: { number: '0x102', hash: `0x${'ab'.repeat(32)}` } },
    { id: 'peerB', address: '/ip4/127.0.0.1/tcp/4002', direction: 'inbound', score: 0, head: null },
  ])
})
