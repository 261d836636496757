import t from 'tap'
import { createBlock } from '@ethereumjs/block'
import { bytesToHex } from '@ethereumjs/util'
import { pino } from 'pino'
import { createChainCommon } from '../../../../runtime/index.ts'
import { createSenderRecovery } from '../../../../node/sync/senderRecovery.ts'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'

const accounts = testAccounts(3, 'sender-recovery')
const spec = createTestSpec({ accounts })
const common = createChainCommon(spec)

t.test('the worker fills each signed tx with the key ethereumjs recovers', async (t) => {
  const signed = accounts.map((a, i) => signed1559(common, a, { nonce: BigInt(i), to: accounts[0]!.address, value: 1n }))
  const expected = signed.map((tx) => bytesToHex(tx.getSenderPublicKey()))
  const block = createBlock({ header: { number: 1n }, transactions: signed }, { common })
  // the block's own tx objects (createBlock builds them from the signed ones)
  const txs = block.transactions
  const recovery = createSenderRecovery(pino({ level: 'silent' }))
  t.teardown(() => recovery.close())
  for (const tx of txs) t.equal(tx.cache.senderPubKey, undefined, 'nothing cached before')
  await recovery.prefetch(block)
  t.same(
    txs.map((tx) => (tx.cache.senderPubKey === undefined ? undefined : bytesToHex(tx.cache.senderPubKey))),
    expected,
    'cached keys = recovered keys',
  )
  t.same(
    txs.map((tx) => tx.getSenderAddress().toString()),
    accounts.map((a) => a.hex.toLowerCase()),
    'senders',
  )
  await recovery.prefetch(block)
  t.pass('a second prefetch of cached txs is a no-op')
  await recovery.prefetch(createBlock({ header: { number: 2n } }, { common }))
  t.pass('an empty block resolves at once')
  await recovery.close()
  await recovery.close()
  const late = createBlock(
    { header: { number: 3n }, transactions: [signed1559(common, accounts[1]!, { nonce: 9n, to: accounts[0]!.address, value: 1n })] },
    { common },
  )
  await recovery.prefetch(late)
  t.equal(late.transactions[0]!.cache.senderPubKey, undefined, 'after close: left to the main thread')
})
