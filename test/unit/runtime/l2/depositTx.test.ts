import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, concatBytes, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import type { TxReceipt as VmTxReceipt } from '@ethereumjs/vm'
import t from 'tap'
import { getSourceHash, parseTransaction, serializeTransaction } from 'viem/op-stack'
import { DEPOSIT_TX_TYPE, DepositTx, L2_ERROR, encodeDepositReceipt, isDepositTx, userDepositSourceHash } from '../../../../runtime/index.ts'

const l1BlockHash = hexToBytes(`0x${'ab'.repeat(32)}`)
const from = '0x1111111111111111111111111111111111111111'
const to = '0x2222222222222222222222222222222222222222'

const cases = [
  { name: 'mint only, no calldata', to: to as string | undefined, mint: 10n ** 18n, value: 0n, gas: 100_000n, data: '0x' },
  { name: 'value and calldata', to: to as string | undefined, mint: 5n, value: 3n, gas: 21_000n, data: '0xdeadbeef00' },
  { name: 'creation', to: undefined, mint: 0n, value: 0n, gas: 500_000n, data: '0x60fe5f5360015ff3' },
  { name: 'zero gas', to: to as string | undefined, mint: 0n, value: 0n, gas: 0n, data: '0x' },
]

t.test('user deposits encode byte for byte as viem serializeTransaction and parse back', async (t) => {
  for (const [i, c] of cases.entries()) {
    const sourceHash = userDepositSourceHash(l1BlockHash, BigInt(i))
    t.equal(bytesToHex(sourceHash), getSourceHash({ domain: 'userDeposit', l1BlockHash: bytesToHex(l1BlockHash), l1LogIndex: i }), `${c.name}: sourceHash`)
    const tx = new DepositTx({
      sourceHash,
      from: createAddressFromString(from),
      to: c.to === undefined ? undefined : createAddressFromString(c.to),
      mint: c.mint,
      value: c.value,
      gasLimit: c.gas,
      isSystemTx: false,
      data: hexToBytes(c.data as `0x${string}`),
    })
    const viem = serializeTransaction({
      type: 'deposit',
      sourceHash: bytesToHex(sourceHash),
      from,
      ...(c.to !== undefined ? { to: c.to as `0x${string}` } : {}),
      mint: c.mint,
      value: c.value,
      gas: c.gas,
      isSystemTx: false,
      data: c.data as `0x${string}`,
    })
    t.equal(bytesToHex(tx.serialize()), viem, `${c.name}: same bytes`)
    const back = DepositTx.fromSerialized(hexToBytes(viem))
    t.same(back.hash(), tx.hash(), `${c.name}: decodes to the same tx`)
    t.ok(isDepositTx(back), `${c.name}: isDepositTx`)
    const parsed = parseTransaction(viem) as { to?: string | null; mint?: bigint; gas?: bigint }
    t.equal(parsed.to ?? undefined, c.to, `${c.name}: viem reads to`)
    t.equal(parsed.gas ?? 0n, c.gas, `${c.name}: viem reads gas`)
  }
})

t.test('decoding is strict', async (t) => {
  const good = new DepositTx({
    sourceHash: userDepositSourceHash(l1BlockHash, 0n),
    from: createAddressFromString(from),
    to: createAddressFromString(to),
    mint: 1n,
    value: 0n,
    gasLimit: 21_000n,
    isSystemTx: false,
    data: new Uint8Array(0),
  })
  const fields = good.raw()
  const typed = (list: unknown) => concatBytes(Uint8Array.of(DEPOSIT_TX_TYPE), RLP.encode(list as Uint8Array[]))
  const refusals: [string, Uint8Array][] = [
    ['wrong type byte', concatBytes(Uint8Array.of(0x02), RLP.encode(fields))],
    ['not RLP', Uint8Array.of(DEPOSIT_TX_TYPE, 0xff)],
    ['seven fields', typed(fields.slice(0, 7))],
    ['nine fields', typed([...fields, new Uint8Array(0)])],
    ['short sourceHash', typed([fields[0]!.subarray(1), ...fields.slice(1)])],
    ['19-byte from', typed([fields[0], fields[1]!.subarray(1), ...fields.slice(2)])],
    ['mint with a leading zero', typed([...fields.slice(0, 3), Uint8Array.of(0, 1), ...fields.slice(4)])],
    ['gas over 64 bits', typed([...fields.slice(0, 5), new Uint8Array(9).fill(1), ...fields.slice(6)])],
    ['isSystemTx = 2', typed([...fields.slice(0, 6), Uint8Array.of(2), fields[7]])],
    ['nested list field', typed([...fields.slice(0, 7), [new Uint8Array(0)]])],
  ]
  for (const [name, raw] of refusals) t.throws(() => DepositTx.fromSerialized(raw), { code: L2_ERROR.MALFORMED_DEPOSIT }, name)
  t.same(DepositTx.fromSerialized(typed(fields)).hash(), good.hash(), 'the canonical encoding decodes')
})

t.test('deposit receipt: 0x7E ‖ RLP([status, cumulativeGasUsed, bloom, logs, depositNonce, 1])', async (t) => {
  const log: [Uint8Array, Uint8Array[], Uint8Array] = [hexToBytes(to), [new Uint8Array(32).fill(7)], Uint8Array.of(1, 2)]
  const receipt = { status: 1, cumulativeBlockGasUsed: 50_000n, bitvector: new Uint8Array(256).fill(3), logs: [log] } as VmTxReceipt
  const encoded = encodeDepositReceipt(receipt, 0n)
  t.equal(encoded[0], 0x7e)
  const list = RLP.decode(encoded.subarray(1)) as unknown as Uint8Array[]
  t.equal(list.length, 6)
  t.equal(bytesToHex(list[0]!), '0x01', 'status')
  t.equal(bytesToHex(list[1]!), '0xc350', 'cumulative gas')
  t.same(list[2], receipt.bitvector, 'bloom')
  t.same(list[3], [log], 'logs')
  t.equal(bytesToHex(list[4]!), '0x', 'depositNonce 0 is the empty string')
  t.equal(bytesToHex(list[5]!), '0x01', 'depositReceiptVersion 1')
  const failed = RLP.decode(encodeDepositReceipt({ ...receipt, status: 0 } as VmTxReceipt, 300n).subarray(1)) as unknown as Uint8Array[]
  t.equal(bytesToHex(failed[0]!), '0x', 'failed status')
  t.equal(bytesToHex(failed[4]!), '0x012c', 'depositNonce 300')
})
