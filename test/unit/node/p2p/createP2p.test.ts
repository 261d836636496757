import { pino } from 'pino'
import t from 'tap'
import { createP2p, defaultP2pOptions, resolveP2pOptions } from '../../../../node/p2p/createP2p.ts'
import type { P2pOptions } from '../../../../node/p2p/createP2p.ts'
import { P2P_ERROR } from '../../../../node/p2p/p2pErrors.ts'
import { fakeHandlers } from '../../../fixtures/p2p/testNetwork.ts'

const base: P2pOptions = {
  datadir: '/nonexistent',
  chainId: 1n,
  genesisHash: new Uint8Array(32),
  handlers: fakeHandlers(),
  logger: pino({ level: 'silent' }),
}
const PEER = '12D3KooWAZkTZEEMmi32SvEcG4zQqqq258qY9zttUHX32nCDQcLq'

t.test('defaults are the documented ones', async (t) => {
  const o = resolveP2pOptions(base)
  t.equal(o.port, 9222)
  t.equal(o.listenAddr, '0.0.0.0')
  t.equal(o.maxPeers, 50)
  t.same(o.limits, defaultP2pOptions.limits)
  t.equal(o.limits.maxTxMessageBytes, 128 * 1024)
  t.equal(resolveP2pOptions({ ...base, limits: { maxRangeBlocks: 8 } }).limits.maxBlockMessageBytes, 4 * 1024 * 1024, 'partial limits keep the other defaults')
})

t.test('bootnodes are parsed; a bad one is P2P_ERROR_INVALID_BOOTNODE naming it', async (t) => {
  const good = `/ip4/127.0.0.1/tcp/9222/p2p/${PEER}`
  t.equal(resolveP2pOptions({ ...base, bootnodes: [good] }).bootnodeAddrs[0]!.getPeerId(), PEER)
  for (const bootnode of ['/ip4/127.0.0.1/tcp/9222', 'not a multiaddr', '/ip4/999.1.1.1/tcp/1/p2p/x']) {
    t.throws(() => resolveP2pOptions({ ...base, bootnodes: [good, bootnode] }), { code: P2P_ERROR.INVALID_BOOTNODE, meta: { bootnode } }, bootnode)
  }
})

t.test('out-of-range options are P2P_ERROR_INVALID_OPTION naming the option', async (t) => {
  const cases: [string, Partial<P2pOptions>][] = [
    ['listenAddr', { listenAddr: 'localhost' }],
    ['port', { port: 70000 }],
    ['port', { port: 1.5 }],
    ['maxPeers', { maxPeers: 0 }],
    ['genesisHash', { genesisHash: new Uint8Array(31) }],
    ['chainId', { chainId: 0n }],
    ['limits.maxRangeBlocks', { limits: { maxRangeBlocks: 0 } }],
    ['banMs', { banMs: -1 }],
  ]
  for (const [option, override] of cases) {
    t.throws(() => resolveP2pOptions({ ...base, ...override }), { code: P2P_ERROR.INVALID_OPTION, meta: { option } }, option)
  }
})

t.test('createP2p validates before it touches the datadir or the network', async (t) => {
  await t.rejects(createP2p({ ...base, bootnodes: ['/ip4/1.2.3.4/tcp/1'] }), { code: P2P_ERROR.INVALID_BOOTNODE })
})
