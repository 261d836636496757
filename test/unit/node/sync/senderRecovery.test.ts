import t from 'tap'
import { createBlock } from '@ethereumjs/block'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import { pino } from 'pino'
import { chainParams, createChainCommon, decodeBlock, encodeBlock, txEncoding, txSender } from '../../../../runtime/index.ts'
import { applyPrecomputed, createSenderRecovery } from '../../../../node/sync/senderRecovery.ts'
import { createPrecomputeCommon, precomputeBlockTxs } from '../../../../node/sync/txPrecompute.ts'
import { createFastCrypto } from '../../../../node/crypto/index.ts'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'

const accounts = testAccounts(3, 'sender-recovery')
const spec = createTestSpec({ accounts })
const common = createChainCommon(spec)

t.test('the worker fills each tx with the hash, encoding, key and sender ethereumjs computes', async (t) => {
  const signed = accounts.map((a, i) => signed1559(common, a, { nonce: BigInt(i), to: accounts[0]!.address, value: 1n }))
  const raw = encodeBlock(createBlock({ header: { number: 1n }, transactions: signed }, { common }))
  // the import's own objects: decoded from the bytes, nothing cached yet
  const fast = createChainCommon(spec, { customCrypto: (await createFastCrypto()).crypto })
  const block = decodeBlock(raw, { common: fast, params: chainParams(spec) })
  const txs = block.transactions
  const recovery = createSenderRecovery(spec, pino({ level: 'silent' }))
  t.teardown(() => recovery.close())
  for (const tx of txs) t.ok(tx.cache.senderPubKey === undefined && tx.cache.hash === undefined, 'nothing cached before')
  await recovery.prefetch(block, raw)
  t.same(
    txs.map((tx) => (tx.cache.senderPubKey === undefined ? undefined : bytesToHex(tx.cache.senderPubKey))),
    signed.map((tx) => bytesToHex(tx.getSenderPublicKey())),
    'cached keys = recovered keys',
  )
  t.same(
    txs.map((tx) => (tx.cache.hash === undefined ? undefined : bytesToHex(tx.cache.hash))),
    signed.map((tx) => bytesToHex(tx.hash())),
    'cached hashes = tx hashes',
  )
  t.ok(
    txs.every((tx, i) => equalsBytes(txEncoding(tx), signed[i]!.serialize())),
    'encodings',
  )
  t.same(
    txs.map((tx) =>
      txSender(tx, (): Uint8Array => {
        throw new Error('sender primed, not hashed')
      }).toString(),
    ),
    accounts.map((a) => a.hex.toLowerCase()),
    'senders primed',
  )
  await recovery.prefetch(block, raw)
  t.pass('a second prefetch of cached txs is a no-op')
  const empty = createBlock({ header: { number: 2n } }, { common })
  await recovery.prefetch(empty, encodeBlock(empty))
  t.pass('an empty block resolves at once')
  await recovery.close()
  await recovery.close()
  const lateRaw = encodeBlock(
    createBlock({ header: { number: 3n }, transactions: [signed1559(common, accounts[1]!, { nonce: 9n, to: accounts[0]!.address, value: 1n })] }, { common }),
  )
  const late = decodeBlock(lateRaw, { common: fast, params: chainParams(spec) })
  await recovery.prefetch(late, lateRaw)
  t.equal(late.transactions[0]!.cache.senderPubKey, undefined, 'after close: left to the main thread')
})

t.test('a block that is a view into a larger Buffer: the Buffer is left whole (copied, never detached)', async (t) => {
  const signed = [signed1559(common, accounts[0]!, { nonce: 0n, to: accounts[1]!.address, value: 1n })]
  const raw = encodeBlock(createBlock({ header: { number: 1n }, transactions: signed }, { common }))
  // as a libp2p response holds several blocks in one Buffer (alloc: a buffer of its own, not the pool)
  const pool = Buffer.alloc(raw.length + 5)
  pool.set([1, 2, 3], 0)
  pool.set(raw, 3)
  pool.set([4, 5], raw.length + 3)
  const view = pool.subarray(3, 3 + raw.length)
  const recovery = createSenderRecovery(spec, pino({ level: 'silent' }))
  t.teardown(() => recovery.close())
  const block = decodeBlock(view, { common, params: chainParams(spec) })
  await recovery.prefetch(block, view)
  t.equal(pool.length, raw.length + 5, 'the Buffer is not detached')
  t.same([...pool.subarray(0, 3), ...pool.subarray(-2)], [1, 2, 3, 4, 5], 'its other bytes intact')
  t.ok(equalsBytes(view, raw), 'the block bytes intact')
  t.ok(block.transactions[0]!.cache.senderPubKey !== undefined, 'and the tx filled')
})

t.test('applyPrecomputed ignores a result of another block (another tx count) and unfrozen txs', async (t) => {
  const signed = accounts.map((a, i) => signed1559(common, a, { nonce: BigInt(i), to: accounts[0]!.address, value: 1n }))
  const raw = encodeBlock(createBlock({ header: { number: 1n }, transactions: signed }, { common }))
  const pre = precomputeBlockTxs(raw, await createPrecomputeCommon(spec))
  const other = decodeBlock(encodeBlock(createBlock({ header: { number: 1n }, transactions: signed.slice(0, 2) }, { common })), { common })
  applyPrecomputed(other.transactions, pre)
  t.ok(
    other.transactions.every((tx) => tx.cache.hash === undefined && tx.cache.senderPubKey === undefined),
    'length mismatch: nothing applied',
  )
  const open = decodeBlock(raw, { common, freeze: false })
  applyPrecomputed(open.transactions, pre)
  t.ok(
    open.transactions.every((tx) => tx.cache.senderPubKey === undefined),
    'unfrozen: nothing applied',
  )
})
