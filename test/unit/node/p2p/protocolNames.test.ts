import t from 'tap'
import { protocolNames } from '../../../../node/p2p/protocolNames.ts'

t.test('topics and protocol ids carry the chain id and a version', async (t) => {
  t.same(protocolNames(1337n), {
    blocksTopic: '/openledger/1337/blocks/1',
    txsTopic: '/openledger/1337/txs/1',
    status: '/openledger/1337/req/status/1',
    blocksByRange: '/openledger/1337/req/blocks_by_range/1',
  })
  t.not(protocolNames(1n).blocksTopic, protocolNames(10n).blocksTopic, 'chains never share a topic')
})
