import t from 'tap'
import { createAddressFromString } from '@ethereumjs/util'
import { chainConfig } from 'viem/op-stack'
import { formatReceipt } from '../../../../rpc/format/formatReceipt.ts'
import { effectiveGasPrice, formatTx } from '../../../../rpc/format/formatTx.ts'
import { DepositTx, userDepositSourceHash } from '../../../../runtime/index.ts'
import type { TxReceipt } from '../../../../runtime/index.ts'

const from = createAddressFromString(`0x${'11'.repeat(20)}`)
const to = createAddressFromString(`0x${'22'.repeat(20)}`)
const deposit = new DepositTx({
  sourceHash: userDepositSourceHash(new Uint8Array(32).fill(9), 3n),
  from,
  to,
  mint: 10n ** 18n,
  value: 5n,
  gasLimit: 100_000n,
  isSystemTx: false,
  data: Uint8Array.of(0xab),
})
const pos = { blockHash: new Uint8Array(32).fill(1), blockNumber: 4n, blockTimestamp: 1000n, index: 1, baseFee: 7n }

t.test('a deposit tx serves as op-geth shapes it, and viem op-stack formats it as a deposit', async (t) => {
  const json = formatTx(deposit as never, pos, undefined, 12n)
  t.equal(json.type, '0x7e')
  t.equal(json.nonce, '0xc', 'nonce = the receipt depositNonce')
  t.equal(json.gasPrice, '0x0')
  t.same([json.v, json.r, json.s], ['0x0', '0x0', '0x0'], 'no signature')
  t.equal(json.mint, '0xde0b6b3a7640000')
  t.equal(json.isSystemTx, false)
  t.equal(json.from, from.toString())
  t.equal(json.hash, `0x${Buffer.from(deposit.hash()).toString('hex')}`)
  t.equal(effectiveGasPrice(deposit as never, 7n), 0n, 'a deposit pays no gas price')
  const viem = chainConfig.formatters.transaction.format(json as never) as unknown as Record<string, unknown>
  t.equal(viem.type, 'deposit', 'viem recognises the type')
  t.equal(viem.mint, 10n ** 18n)
  t.equal(viem.sourceHash, json.sourceHash)
  t.equal(viem.isSystemTx, false)
  t.equal(viem.nonce, 12, 'viem reads the nonce')
})

t.test('a deposit receipt carries depositNonce and depositReceiptVersion; other receipts do not', async (t) => {
  const base: TxReceipt = {
    txHash: deposit.hash(),
    txIndex: 1,
    txType: 0x7e,
    from: from.bytes,
    to: to.bytes,
    status: 1,
    cumulativeGasUsed: 60_000n,
    gasUsed: 30_000n,
    effectiveGasPrice: 0n,
    contractAddress: undefined,
    logsBloom: new Uint8Array(256),
    logs: [],
  }
  const b = { blockHash: pos.blockHash, blockNumber: 4n, blockTimestamp: 1000n }
  const json = formatReceipt({ ...base, depositNonce: 12n, depositReceiptVersion: 1n }, b)
  t.equal(json.depositNonce, '0xc')
  t.equal(json.depositReceiptVersion, '0x1')
  const viem = chainConfig.formatters.transactionReceipt.format(json as never) as unknown as Record<string, unknown>
  t.equal(viem.depositNonce, 12n, 'viem reads depositNonce')
  const plain = formatReceipt({ ...base, txType: 2 }, b)
  t.notOk('depositNonce' in plain || 'depositReceiptVersion' in plain)
})
