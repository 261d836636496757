import { bytesToBigInt, bytesToHex, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import t from 'tap'
import { getSourceHash, parseTransaction, serializeTransaction } from 'viem/op-stack'
import {
  DepositTx,
  L1_BLOCK_ADDRESS,
  L1_INFO_DEPOSITOR,
  L2_ERROR,
  assertL1InfoDeposit,
  decodeL1InfoCalldata,
  encodeL1InfoCalldata,
  l1InfoDepositTx,
} from '../../../../runtime/index.ts'
import type { L1Info } from '../../../../runtime/index.ts'
import { TEST_ROLLUP, testOrigin } from '../../../fixtures/l2/rollupSpec.ts'

const info: L1Info = {
  baseFeeScalar: 0x01020304,
  blobBaseFeeScalar: 0x05060708,
  sequenceNumber: 0x1112131415161718n,
  timestamp: 0x2122232425262728n,
  number: 0x3132333435363738n,
  baseFee: (1n << 255n) + 0x41n,
  blobBaseFee: 0x51n,
  hash: new Uint8Array(32).fill(0x61),
  batcherHash: setLengthLeft(hexToBytes(TEST_ROLLUP.batcher), 32),
}

t.test('Ecotone calldata: selector 0x440a5e20, 164 bytes, each field big-endian at its offset', async (t) => {
  const data = encodeL1InfoCalldata('ecotone', info)
  t.equal(data.length, 164)
  t.equal(bytesToHex(data.subarray(0, 4)), '0x440a5e20')
  const at = (offset: number, size: number) => bytesToBigInt(data.subarray(offset, offset + size))
  t.equal(at(4, 4), 0x01020304n, 'baseFeeScalar u32 at 4')
  t.equal(at(8, 4), 0x05060708n, 'blobBaseFeeScalar u32 at 8')
  t.equal(at(12, 8), info.sequenceNumber, 'sequenceNumber u64 at 12')
  t.equal(at(20, 8), info.timestamp, 'timestamp u64 at 20')
  t.equal(at(28, 8), info.number, 'number u64 at 28')
  t.equal(at(36, 32), info.baseFee, 'basefee u256 at 36')
  t.equal(at(68, 32), info.blobBaseFee, 'blobBaseFee u256 at 68')
  t.same(data.subarray(100, 132), info.hash, 'hash at 100')
  t.same(data.subarray(132, 164), info.batcherHash, 'batcherHash at 132')
  const decoded = decodeL1InfoCalldata(data)
  t.equal(decoded.form, 'ecotone')
  t.same(decoded.info, info, 'round trip')
})

t.test('decodes the L1-info tx of OP mainnet block 124665056', async (t) => {
  // the 0x7E tx at index 0 of that block (public chain data)
  const raw = hexToBytes(
    '0x7ef8f8a0683079df94aa5b9cf86687d739a60a9b4f0835e520ec4d664e2e415dca17a6df94deaddeaddeaddeaddeaddeaddeaddeaddead00019442000000000000000000000000000000000000158080830f424080b8a4440a5e200000146b000f79c500000000000000040000000066d052e700000000013ad8a3000000000000000000000000000000000000000000000000000000003ef1278700000000000000000000000000000000000000000000000000000000000000012fdf87b89884a61e74b322bbcf60386f543bfae7827725efaaf0ab1de2294a590000000000000000000000006887246668a3b87f54deb3b94ba47a6f63f32985',
  )
  const tx = DepositTx.fromSerialized(raw)
  const decoded = assertL1InfoDeposit(tx)
  t.equal(decoded.baseFeeScalar, 0x146b)
  t.equal(decoded.blobBaseFeeScalar, 0xf79c5)
  t.equal(decoded.sequenceNumber, 4n)
  t.equal(decoded.timestamp, 0x66d052e7n)
  t.equal(decoded.number, 0x13ad8a3n)
  t.equal(decoded.baseFee, 0x3ef12787n)
  t.equal(decoded.blobBaseFee, 1n)
  t.equal(bytesToHex(decoded.batcherHash), '0x0000000000000000000000006887246668a3b87f54deb3b94ba47a6f63f32985')
  t.same(encodeL1InfoCalldata('ecotone', decoded), tx.data, 're-encodes to the same calldata')
})

t.test('strict decoding: unknown selector, short and long calldata are refused', async (t) => {
  const data = encodeL1InfoCalldata('ecotone', info)
  const cases: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['selector only', data.subarray(0, 4)],
    ['one byte short', data.subarray(0, 163)],
    ['one byte long', Uint8Array.from([...data, 0])],
    ['Bedrock setL1BlockValues selector', Uint8Array.from([0x01, 0x5d, 0x8e, 0xb9, ...data.subarray(4)])],
  ]
  for (const [name, bytes] of cases) t.throws(() => decodeL1InfoCalldata(bytes), { code: L2_ERROR.MALFORMED_L1_INFO }, name)
  t.throws(() => encodeL1InfoCalldata('ecotone', { ...info, baseFeeScalar: 2 ** 32 }), { code: L2_ERROR.MALFORMED_L1_INFO }, 'scalar over u32')
  t.throws(() => encodeL1InfoCalldata('ecotone', { ...info, sequenceNumber: 1n << 64n }), { code: L2_ERROR.MALFORMED_L1_INFO }, 'u64 overflow')
  t.throws(() => encodeL1InfoCalldata('ecotone', { ...info, hash: new Uint8Array(31) }), { code: L2_ERROR.MALFORMED_L1_INFO }, 'short hash')
})

t.test('l1InfoDepositTx: fixed fields, domain-1 sourceHash (viem getSourceHash), rollup batcher and scalars, viem round trip', async (t) => {
  const origin = testOrigin(1234n)
  const tx = l1InfoDepositTx(origin, 3n, TEST_ROLLUP)
  t.equal(tx.from.toString(), L1_INFO_DEPOSITOR)
  t.equal(tx.to?.toString(), L1_BLOCK_ADDRESS)
  t.equal(tx.mint, 0n)
  t.equal(tx.value, 0n)
  t.equal(tx.gasLimit, 1_000_000n)
  t.equal(tx.isSystemTx, false)
  t.equal(bytesToHex(tx.sourceHash), getSourceHash({ domain: 'l1InfoDeposit', l1BlockHash: bytesToHex(origin.hash), sequenceNumber: 3 }))
  const { info: carried } = decodeL1InfoCalldata(tx.data)
  t.equal(carried.baseFeeScalar, TEST_ROLLUP.baseFeeScalar)
  t.equal(carried.blobBaseFeeScalar, TEST_ROLLUP.blobBaseFeeScalar)
  t.equal(bytesToHex(carried.batcherHash), `0x${'00'.repeat(12)}${TEST_ROLLUP.batcher.slice(2)}`)
  t.equal(carried.number, origin.number)
  t.equal(carried.timestamp, origin.timestamp)
  t.equal(carried.baseFee, origin.baseFee)
  t.same(carried.hash, origin.hash)
  const viemBytes = serializeTransaction({
    type: 'deposit',
    sourceHash: bytesToHex(tx.sourceHash),
    from: L1_INFO_DEPOSITOR,
    to: L1_BLOCK_ADDRESS,
    mint: 0n,
    value: 0n,
    gas: 1_000_000n,
    isSystemTx: false,
    data: bytesToHex(tx.data),
  })
  t.equal(bytesToHex(tx.serialize()), viemBytes, 'same bytes as viem')
  const parsed = parseTransaction(viemBytes) as { sourceHash: string; gas: bigint; data: string }
  t.equal(parsed.sourceHash, bytesToHex(tx.sourceHash))
  t.equal(parsed.gas, 1_000_000n)
  t.equal(parsed.data, bytesToHex(tx.data))
  t.same(assertL1InfoDeposit(tx), carried, 'the validator rule accepts it')
})

t.test('assertL1InfoDeposit refuses a deposit that is not the L1-info deposit', async (t) => {
  const good = l1InfoDepositTx(testOrigin(7n), 0n, TEST_ROLLUP)
  const fields = { ...good, sourceHash: good.sourceHash }
  const variants: [string, DepositTx][] = [
    ['other from', new DepositTx({ ...fields, from: good.to! })],
    ['other to', new DepositTx({ ...fields, to: good.from })],
    ['mint', new DepositTx({ ...fields, mint: 1n })],
    ['gas', new DepositTx({ ...fields, gasLimit: 999_999n })],
    ['system tx', new DepositTx({ ...fields, isSystemTx: true })],
    ['bad calldata', new DepositTx({ ...fields, data: good.data.subarray(0, 100) })],
    ['sourceHash of another sequence number', new DepositTx({ ...fields, sourceHash: l1InfoDepositTx(testOrigin(7n), 1n, TEST_ROLLUP).sourceHash })],
  ]
  for (const [name, tx] of variants) t.throws(() => assertL1InfoDeposit(tx), { code: L2_ERROR.INVALID_DEPOSITS }, name)
})
