import t from 'tap'
import { Bloom } from '@ethereumjs/vm'
import { decodeReceiptLogs, decodeReceipts, encodeReceipts } from '../../../../node/chain/receiptCodec.ts'
import { createChainCommon } from '../../../../runtime/index.ts'
import type { TxReceipt } from '../../../../runtime/index.ts'
import { createTestSpec } from '../../../fixtures/chain/testSpec.ts'

const common = createChainCommon(createTestSpec())
const addr = (b: number) => new Uint8Array(20).fill(b)
const word = (b: number) => new Uint8Array(32).fill(b)

function receipt(
  txIndex: number,
  logs: { address: Uint8Array; topics: Uint8Array[]; data: Uint8Array }[],
  firstLog: number,
  extra: Partial<TxReceipt> = {},
): TxReceipt {
  const bloom = new Bloom(undefined, common)
  for (const l of logs) {
    bloom.add(l.address)
    for (const tp of l.topics) bloom.add(tp)
  }
  return {
    txHash: word(txIndex + 1),
    txIndex,
    txType: 2,
    from: addr(1),
    to: addr(2),
    status: 1,
    cumulativeGasUsed: 21_000n * BigInt(txIndex + 1),
    gasUsed: 21_000n,
    effectiveGasPrice: 1_000_000_007n,
    contractAddress: undefined,
    logsBloom: bloom.bitvector,
    logs: logs.map((l, i) => ({ ...l, logIndex: firstLog + i })),
    ...extra,
  }
}

t.test('receipts round-trip, blooms recomputed, indexes from positions', async (t) => {
  const receipts = [
    receipt(0, [{ address: addr(9), topics: [word(7), word(8)], data: Uint8Array.from([1, 2]) }], 0),
    receipt(1, [], 1, { status: 0, to: undefined, contractAddress: addr(5), txType: 0 }),
    receipt(
      2,
      [
        { address: addr(9), topics: [], data: new Uint8Array() },
        { address: addr(3), topics: [word(7)], data: new Uint8Array(40) },
      ],
      1,
    ),
  ]
  t.same(decodeReceipts(encodeReceipts(receipts), common), receipts)
  t.same(decodeReceipts(encodeReceipts([]), common), [])
  t.throws(() => decodeReceipts(Uint8Array.from([0xc1, 0x01]), common), TypeError, 'damaged encoding is a TypeError')
  t.same(
    decodeReceiptLogs(encodeReceipts(receipts)),
    receipts.map((r) => ({ txHash: r.txHash, txIndex: r.txIndex, logs: r.logs })),
    'the logs alone: the same logs, tx hashes and indexes',
  )
  t.throws(() => decodeReceiptLogs(Uint8Array.from([0xc1, 0x01])), TypeError, 'the logs alone: damaged encoding is a TypeError')
})

t.test('a deposit receipt keeps its depositNonce (11th field) and reads back with receipt version 1', async (t) => {
  const deposit = receipt(0, [], 0, { txType: 0x7e, effectiveGasPrice: 0n, depositNonce: 7n, depositReceiptVersion: 1n })
  const signed = receipt(1, [{ address: addr(3), topics: [word(4)], data: word(5) }], 0)
  const [d, s] = decodeReceipts(encodeReceipts([deposit, signed]), common)
  t.equal(d?.depositNonce, 7n, 'depositNonce')
  t.equal(d?.depositReceiptVersion, 1n, 'version')
  t.equal(d?.txType, 0x7e)
  t.equal(s?.depositNonce, undefined, 'a signed tx receipt has no deposit fields')
  t.equal(s?.depositReceiptVersion, undefined)
  const zero = decodeReceipts(encodeReceipts([{ ...deposit, depositNonce: 0n }]), common)[0]
  t.equal(zero?.depositNonce, 0n, 'a depositNonce of 0 is kept (field present, empty)')
})
