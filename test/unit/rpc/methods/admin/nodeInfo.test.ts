// admin_nodeInfo: the p2p identity and listen multiaddrs when the node is on a network, nulls without one.
import t from 'tap'
import { toHex } from '../../../../../rpc/index.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

t.test('admin_nodeInfo: peer id, bootnode multiaddrs, chain and role', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const addr = '/ip4/127.0.0.1/tcp/9222/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
  h.backend.p2pNode = { id: '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo', listenAddrs: [addr], port: 9222, role: 'validator' }
  const info = (await h.rpc('admin_nodeInfo')).result as Record<string, unknown> & { protocols: { openledger: Record<string, unknown> } }
  t.equal(info.id, '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo')
  t.same(info.listenAddrs, [addr])
  t.same(info.ports, { listener: 9222 })
  t.match(info.name, /^openledger\//, 'the client version')
  const genesis = await h.backend.getBlockByNumber(0n)
  t.same(info.protocols.openledger, {
    network: 1337,
    genesis: toHex(genesis!.hash()),
    head: toHex(h.backend.head().hash()),
    headNumber: '0x0',
    role: 'validator',
  })
  t.equal((await h.rpc('admin_nodeInfo', [1])).error?.code, -32602, 'takes no params')
})

t.test('admin_nodeInfo without p2p: null id, no addresses', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const info = (await h.rpc('admin_nodeInfo')).result as Record<string, unknown> & { protocols: { openledger: Record<string, unknown> } }
  t.equal(info.id, null)
  t.same(info.listenAddrs, [])
  t.equal(info.protocols.openledger.role, null)
})
