// node.ts's p2p glue: eth_syncing from the sync status, admin_nodeInfo from the network, the
// sequencer's block publication (sealed, never throwing).
import { createBlock } from '@ethereumjs/block'
import { createFeeMarket1559Tx } from '@ethereumjs/tx'
import { pino } from 'pino'
import t from 'tap'
import { nodeInfoOf, publishBlock, requireP2p, syncNetworkOf, syncStatusOf, txBroadcastOf } from '../../../node/nodeNetwork.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { P2P_ERROR } from '../../../node/p2p/index.ts'
import type { P2pNetwork } from '../../../node/p2p/index.ts'
import { SYNC_ERROR, decodeSealedBlock } from '../../../node/sync/index.ts'
import { OpenLedgerError, createChainCommon } from '../../../runtime/index.ts'
import { loadChainSpec } from '../../../genesis/index.ts'
import type { Sync, SyncStatus } from '../../../node/sync/index.ts'
import { NODE_ERROR } from '../../../node/nodeErrors.ts'

const quiet = pino({ level: 'silent' })

function fakeNetwork(publish: (data: Uint8Array) => Promise<number>): P2pNetwork {
  return {
    peerId: '12D3KooWTest',
    multiaddrs: () => ['/ip4/127.0.0.1/tcp/40123/p2p/12D3KooWTest', '/ip4/10.0.0.2/tcp/40123/p2p/12D3KooWTest'],
    publishBlock: publish,
  } as unknown as P2pNetwork
}

t.test('syncStatusOf: eth_syncing is false unless a range sync runs', async (t) => {
  const of = (status: SyncStatus): ReturnType<typeof syncStatusOf> => syncStatusOf({ status: () => status } as unknown as Sync)
  t.equal(syncStatusOf(undefined), undefined, 'no sync (p2p off)')
  t.equal(of({ syncing: false, startingBlock: 7n, head: 7n, target: 7n }), undefined)
  t.same(of({ syncing: true, startingBlock: 3n, head: 10n, target: 500n }), { startingBlock: 3n, currentBlock: 10n, highestBlock: 500n })
})

t.test('nodeInfoOf: id, multiaddrs and the bound TCP port', async (t) => {
  const info = nodeInfoOf(
    fakeNetwork(async () => 0),
    'validator',
  )
  t.same(info, {
    id: '12D3KooWTest',
    listenAddrs: ['/ip4/127.0.0.1/tcp/40123/p2p/12D3KooWTest', '/ip4/10.0.0.2/tcp/40123/p2p/12D3KooWTest'],
    port: 40123,
    role: 'validator',
  })
})

t.test('requireP2p: a typed error before the network exists', async (t) => {
  t.throws(() => requireP2p(undefined), { code: NODE_ERROR.STARTING })
  const network = fakeNetwork(async () => 0)
  t.equal(requireP2p(network), network)
})

t.test('publishBlock: the stored seal goes with the block; failures are logged, not thrown', async (t) => {
  const common = createChainCommon(loadChainSpec('devnet'))
  const tx = createFeeMarket1559Tx({ chainId: 1337n, nonce: 3n, gasLimit: 21_000n, maxFeePerGas: 10n, to: `0x${'42'.repeat(20)}`, value: 1n }, { common }).sign(
    new Uint8Array(32).fill(7),
  )
  const block = createBlock({ header: { number: 5n, baseFeePerGas: 7n }, transactions: [tx] }, { common })
  const seal = new Uint8Array(65).fill(9)
  const published: Uint8Array[] = []
  const chain = { getSeal: async () => seal } as unknown as Chain
  await publishBlock(
    chain,
    fakeNetwork(async (data) => {
      published.push(data)
      return 1
    }),
    block,
    quiet,
  )
  t.equal(published.length, 1)
  t.same(decodeSealedBlock(published[0]!), { block: block.serialize(), seal }, 'the block as it encodes, with its seal')
  const unsealed = { getSeal: async () => undefined } as unknown as Chain
  await publishBlock(
    unsealed,
    fakeNetwork(async () => t.fail('published without a seal') as never),
    block,
    quiet,
  )
  await t.resolves(
    publishBlock(
      chain,
      fakeNetwork(async () => {
        throw new Error('gossip down')
      }),
      block,
      quiet,
    ),
    'a gossip failure does not throw',
  )
})

t.test('syncNetworkOf: a rate-limit refusal becomes SYNC_ERROR_RATE_LIMITED, other errors pass through', async (t) => {
  let answer: () => Promise<Uint8Array[]> = async () => [new Uint8Array([1])]
  const reports: string[] = []
  const network = {
    blocksByRange: () => answer(),
    peerHeads: async () => [],
    reportPeer: (peerId: string, offence: string) => reports.push(`${peerId}:${offence}`),
  } as unknown as P2pNetwork
  let current: P2pNetwork | undefined
  const port = syncNetworkOf(() => current)
  await t.rejects(port.peerHeads(), { code: NODE_ERROR.STARTING }, 'before the network exists')
  port.reportPeer('p', 'timeout')
  t.same(reports, [], 'reports before the network are dropped')
  current = network
  t.same(await port.blocksByRange('p', 1n, 1), [new Uint8Array([1])])
  answer = async () => {
    throw new OpenLedgerError(P2P_ERROR.RATE_LIMITED, 'refused', {})
  }
  await t.rejects(port.blocksByRange('p', 1n, 1), { code: SYNC_ERROR.RATE_LIMITED })
  answer = async () => {
    throw new OpenLedgerError(P2P_ERROR.TIMEOUT, 'slow', {})
  }
  await t.rejects(port.blocksByRange('p', 1n, 1), { code: P2P_ERROR.TIMEOUT })
  port.reportPeer('p', 'invalid_block')
  t.same(reports, ['p:invalid_block'])
})

t.test('txBroadcastOf: each raw tx published on the txs topic; a failure is logged, not thrown', async (t) => {
  t.equal(txBroadcastOf(undefined, quiet), undefined, 'no network, no broadcast')
  const sent: Uint8Array[] = []
  let fail = false
  const network = {
    publishTx: async (raw: Uint8Array) => {
      if (fail) throw new Error('gossip down')
      sent.push(raw)
      return 1
    },
  } as unknown as P2pNetwork
  const broadcast = txBroadcastOf(network, quiet)!
  broadcast(new Uint8Array([2, 1]))
  fail = true
  t.doesNotThrow(() => broadcast(new Uint8Array([2, 2])))
  await new Promise((resolve) => setImmediate(resolve))
  t.same(sent, [new Uint8Array([2, 1])])
})
