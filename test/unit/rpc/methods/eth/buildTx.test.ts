// eth_fillTransaction and eth_signTransaction (geth's FillTransaction / SignTransaction), which
// share eth_sendTransaction's defaults (buildTx).
import { createTxFromRLP } from '@ethereumjs/tx'
import { hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../../../genesis/index.ts'
import { toHex } from '../../../../../rpc/index.ts'
import { FakeBackend } from '../../../../fixtures/rpc/fakeBackend.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

const dev0 = DEV_ACCOUNTS[0]!.address.toLowerCase()
const dev1 = DEV_ACCOUNTS[1]!.address.toLowerCase()
type Result = { raw: string; tx: Record<string, string> }

t.test('eth_fillTransaction: every default filled, unsigned', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const r = (await h.rpc('eth_fillTransaction', [{ from: dev0, to: dev1, value: '0x5' }])).result as Result
  const tx = createTxFromRLP(hexToBytes(r.raw as `0x${string}`), { common: h.backend.common })
  t.equal(tx.type, 2)
  t.notOk(tx.isSigned())
  t.equal(tx.gasLimit, 21_000n, 'the exact estimate')
  t.equal(r.tx.type, '0x2')
  t.equal(r.tx.nonce, '0x0')
  t.equal(r.tx.gas, '0x5208')
  t.equal(r.tx.value, '0x5')
  t.equal(r.tx.r, '0x0')
  t.equal(r.tx.hash, toHex(keccak_256(hexToBytes(r.raw as `0x${string}`))), "geth's hash of an unsigned tx")
  for (const key of ['blockHash', 'blockNumber', 'blockTimestamp', 'transactionIndex', 'from']) t.notOk(key in r.tx, `a types.Transaction has no ${key}`)
  // no from: the zero address, which cannot pay the filled-in fee cap (geth's gasestimator says the same)
  t.same((await h.rpc('eth_fillTransaction', [{ to: dev1 }])).error, { code: -32000, message: 'insufficient funds for transfer' })
  const noFrom = (await h.rpc('eth_fillTransaction', [{ to: dev1, gas: '0x5208' }])).result as Result
  t.equal(noFrom.tx.nonce, '0x0', 'no from, gas given: the zero address nonce')
  t.same((await h.rpc('eth_fillTransaction', [{ from: dev0 }])).error, { code: -32000, message: 'contract creation without any data provided' })
})

t.test('eth_signTransaction: gas, fees and nonce must be given; signs without sending', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const base = { from: dev0, to: dev1, value: '0x1' }
  t.same((await h.rpc('eth_signTransaction', [base])).error, { code: -32000, message: 'gas not specified' })
  t.same((await h.rpc('eth_signTransaction', [{ ...base, gas: '0x5208' }])).error, {
    code: -32000,
    message: 'missing gasPrice or maxFeePerGas/maxPriorityFeePerGas',
  })
  t.same((await h.rpc('eth_signTransaction', [{ ...base, gas: '0x5208', gasPrice: '0x3b9aca00' }])).error, { code: -32000, message: 'nonce not specified' })
  const r = (await h.rpc('eth_signTransaction', [{ ...base, gas: '0x5208', gasPrice: '0x3b9aca00', nonce: '0x7' }])).result as Result
  const tx = createTxFromRLP(hexToBytes(r.raw as `0x${string}`), { common: h.backend.common })
  t.equal(tx.getSenderAddress().toString(), dev0)
  t.equal(tx.nonce, 7n)
  t.equal(r.tx.hash, toHex(tx.hash()))
  t.equal(h.backend.pool.size, 0, 'nothing sent')
  t.same((await h.rpc('eth_signTransaction', [{ ...base, from: `0x${'55'.repeat(20)}`, gas: '0x5208', gasPrice: '0x1', nonce: '0x0' }])).error, {
    code: -32000,
    message: 'unknown account',
  })
  const plain = await startHarness({ backend: new FakeBackend({ dev: false }), dev: false })
  t.teardown(() => plain.close())
  t.equal((await plain.rpc('eth_signTransaction', [{ ...base, gas: '0x5208', gasPrice: '0x1', nonce: '0x0' }])).error?.code, -32601, 'only with --dev')
})
