import t from 'tap'
import { Block, createBlockHeader } from '@ethereumjs/block'
import { createFeeMarket1559Tx, createLegacyTx } from '@ethereumjs/tx'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, createAddressFromString, equalsBytes } from '@ethereumjs/util'
import { DepositTx, chainParams, createChainCommon, encodeBlock, userDepositSourceHash } from '../../../../runtime/index.ts'
import { PRECOMPUTED_AT, PRECOMPUTED_FLAG, PRECOMPUTED_RECORD, createPrecomputeCommon, precomputeBlockTxs } from '../../../../node/sync/txPrecompute.ts'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'

const accounts = testAccounts(2, 'tx-precompute')
const spec = createTestSpec({ accounts })
const common = createChainCommon(spec)
const sink = createAddressFromString(`0x${'55'.repeat(20)}`)

t.test('per signed tx: encoding, hash, sender key and address, as the main thread computes them', async (t) => {
  const typed = signed1559(common, accounts[0]!, { nonce: 0n, to: sink, value: 1n })
  const legacy = createLegacyTx({ nonce: 0n, gasPrice: 10n ** 9n, gasLimit: 21_000n, to: sink, value: 2n }, { common }).sign(accounts[1]!.key)
  // r = 5 is no point's x coordinate: decodes, but no key recovers; the worker leaves it to the main thread
  const noKey = createFeeMarket1559Tx({ ...typed.toJSON(), gasPrice: undefined, r: 5n } as never, { common })
  t.throws(() => noKey.getSenderPublicKey(), /Invalid Signature/, 'ethereumjs recovers no key for it')
  const deposit = new DepositTx({
    sourceHash: userDepositSourceHash(new Uint8Array(32).fill(3), 0n),
    from: sink,
    to: sink,
    mint: 1n,
    value: 0n,
    gasLimit: 50_000n,
    isSystemTx: false,
    data: new Uint8Array(0),
  })
  const txs = [deposit as unknown as TypedTransaction, typed, legacy, noKey]
  const header = createBlockHeader({ number: 1n, gasLimit: spec.gasLimit, timestamp: 1n, baseFeePerGas: 7n }, { common, params: chainParams(spec) })
  const raw = encodeBlock(new Block(header, txs, [], [], { common }))
  const pre = precomputeBlockTxs(raw, await createPrecomputeCommon(spec))

  t.same(
    [...pre.flags],
    [0, PRECOMPUTED_FLAG.ENCODED | PRECOMPUTED_FLAG.RECOVERED, PRECOMPUTED_FLAG.ENCODED | PRECOMPUTED_FLAG.RECOVERED, PRECOMPUTED_FLAG.ENCODED],
  )
  t.equal(pre.fixed.length, 4 * PRECOMPUTED_RECORD)
  for (const [i, tx] of txs.entries()) {
    if (pre.flags[i] === 0) continue
    const record = pre.fixed.subarray(i * PRECOMPUTED_RECORD, (i + 1) * PRECOMPUTED_RECORD)
    t.ok(equalsBytes(pre.enc.subarray(pre.offsets[i], pre.offsets[i + 1]), tx.serialize()), `tx ${i}: encoding = serialize()`)
    t.equal(bytesToHex(record.subarray(PRECOMPUTED_AT.hash, PRECOMPUTED_AT.hash + 32)), bytesToHex(tx.hash()), `tx ${i}: hash`)
    if ((pre.flags[i]! & PRECOMPUTED_FLAG.RECOVERED) === 0) continue
    t.equal(bytesToHex(record.subarray(PRECOMPUTED_AT.key, PRECOMPUTED_AT.key + 64)), bytesToHex(tx.getSenderPublicKey()), `tx ${i}: sender key`)
    t.equal(bytesToHex(record.subarray(PRECOMPUTED_AT.sender, PRECOMPUTED_AT.sender + 20)), tx.getSenderAddress().toString(), `tx ${i}: sender`)
  }
  t.equal(pre.offsets[0], 0, 'the deposit has no encoding here')
  t.equal(pre.offsets[1], 0)
})

t.test('bytes that are not a block give an empty result, never a throw', async (t) => {
  const pc = await createPrecomputeCommon(spec)
  for (const raw of [new Uint8Array(0), Uint8Array.of(0xc0), Uint8Array.of(0xff, 1, 2), Uint8Array.of(0xc2, 0xc0, 0x01)]) {
    const pre = precomputeBlockTxs(raw, pc)
    t.equal(pre.flags.length, 0, bytesToHex(raw))
  }
  // a body entry ethereumjs refuses: unflagged, the rest still computed
  const typed = signed1559(common, accounts[0]!, { nonce: 0n, to: sink, value: 1n })
  const header = createBlockHeader({ number: 1n, gasLimit: spec.gasLimit, timestamp: 1n, baseFeePerGas: 7n }, { common })
  const good = encodeBlock(new Block(header, [typed], [], [], { common }))
  const { RLP } = await import('@ethereumjs/rlp')
  const values = RLP.decode(good) as Uint8Array[][]
  const damaged = RLP.encode([values[0]!, [Uint8Array.of(0x02, 0xc0), values[1]![0]!], values[2]!, ...values.slice(3)])
  const pre = precomputeBlockTxs(damaged, pc)
  t.same([...pre.flags], [0, PRECOMPUTED_FLAG.ENCODED | PRECOMPUTED_FLAG.RECOVERED])
  t.throws(() => precomputeBlockTxs(good, common), /customCrypto\.keccak256/, 'a Common without fast keccak is refused')
})
