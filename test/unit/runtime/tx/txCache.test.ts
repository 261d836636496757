import t from 'tap'
import { createBlock } from '@ethereumjs/block'
import { createLegacyTx } from '@ethereumjs/tx'
import { createAddressFromString, equalsBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { createFeeMarket1559TxFromRLP } from '@ethereumjs/tx'
import {
  chainParams,
  createChainCommon,
  encodeBlock,
  freezeWithCachedSender,
  primeTxEncoding,
  primeTxSender,
  txEncoding,
  txSender,
} from '../../../../runtime/index.ts'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'

const accounts = testAccounts(3)
const spec = createTestSpec({ accounts })
const common = createChainCommon(spec)
const sink = createAddressFromString('0x' + '44'.repeat(20))

t.test('txSender matches getSenderAddress and is computed once per tx object', async (t) => {
  for (const [i, account] of accounts.entries()) {
    const tx = signed1559(common, account, { nonce: BigInt(i), to: sink, value: 1n })
    let calls = 0
    const counting = (data: Uint8Array): Uint8Array => {
      calls++
      return keccak_256(data)
    }
    const first = txSender(tx, counting)
    t.ok(first.equals(tx.getSenderAddress()), `account ${i}: same address as ethereumjs`)
    t.ok(first.equals(account.address), `account ${i}: the signer`)
    t.ok(txSender(tx, counting) === first, `account ${i}: cached`)
    t.equal(calls, 1, `account ${i}: hashed once`)
  }
})

t.test('primed encodings and senders are answered as given; an entry already cached is kept', async (t) => {
  const tx = signed1559(common, accounts[0]!, { nonce: 0n, to: sink, value: 5n })
  const primed = tx.serialize()
  primeTxEncoding(tx, primed)
  t.equal(txEncoding(tx), primed, 'the primed bytes object itself')
  primeTxEncoding(tx, new Uint8Array(3))
  t.equal(txEncoding(tx), primed, 'a second prime does not replace it')
  const other = signed1559(common, accounts[1]!, { nonce: 0n, to: sink, value: 5n })
  primeTxSender(other, accounts[1]!.address)
  t.equal(
    txSender(other, (): Uint8Array => {
      throw new Error('not hashed')
    }),
    accounts[1]!.address,
    'primed sender answered without hashing',
  )
  primeTxSender(other, sink)
  t.ok(txSender(other, keccak_256).equals(accounts[1]!.address), 'a second prime does not replace it')
})

t.test('freezeWithCachedSender: getSenderAddress answers from the cache, same address, the tx frozen', async (t) => {
  const signed = signed1559(common, accounts[2]!, { nonce: 0n, to: sink, value: 5n })
  const tx = createFeeMarket1559TxFromRLP(signed.serialize(), { common, freeze: false })
  let calls = 0
  freezeWithCachedSender(tx, (data) => {
    calls++
    return keccak_256(data)
  })
  t.ok(Object.isFrozen(tx), 'frozen')
  t.ok(tx.getSenderAddress().equals(accounts[2]!.address), 'the signer')
  t.equal(tx.getSenderAddress(), tx.getSenderAddress(), 'one cached Address')
  t.equal(calls, 1, 'the key hashed once')
  t.ok(equalsBytes(tx.hash(), signed.hash()) && tx.cache.hash !== undefined, 'hash cached as on any frozen tx')
})

t.test('txEncoding equals serialize()', async (t) => {
  const tx = signed1559(common, accounts[0]!, { nonce: 0n, to: sink, value: 5n })
  t.ok(equalsBytes(txEncoding(tx), tx.serialize()))
  t.equal(txEncoding(tx), txEncoding(tx), 'cached')
})

t.test('encodeBlock equals Block.serialize() for typed and legacy txs', async (t) => {
  const typed = [0n, 1n].map((nonce) => signed1559(common, accounts[1]!, { nonce, to: sink, value: nonce + 1n }))
  const legacy = createLegacyTx({ nonce: 0n, gasPrice: 10n ** 10n, gasLimit: 21_000n, to: sink, value: 7n }, { common }).sign(accounts[2]!.key)
  const opts = { common, params: chainParams(spec) }
  const withTxs = createBlock(
    { header: { number: 1n, gasLimit: spec.gasLimit, baseFeePerGas: 7n }, transactions: [typed[0]!, legacy, typed[1]!], withdrawals: [] },
    opts,
  )
  t.ok(equalsBytes(encodeBlock(withTxs), withTxs.serialize()), 'mixed typed and legacy body')
  const empty = createBlock({ header: { number: 1n, gasLimit: spec.gasLimit, baseFeePerGas: 7n }, withdrawals: [] }, opts)
  t.ok(equalsBytes(encodeBlock(empty), empty.serialize()), 'empty body')
})
