// The next block's environment (pendingBlockOverrides) and where it applies: eth_estimateGas
// without a block or with "pending", eth_call with "pending", and the gas that eth_sendTransaction /
// eth_fillTransaction fill in; other blocks keep their own environment (geth's eth_call rules).
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../../../genesis/index.ts'
import { calcNextBaseFee } from '../../../../../runtime/index.ts'
import { pendingBlockOverrides } from '../../../../../rpc/methods/eth/pendingBlock.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

const dev0 = DEV_ACCOUNTS[0]!.address.toLowerCase()
const dev1 = DEV_ACCOUNTS[1]!.address.toLowerCase()

t.test('the pending environment: number head + 1, the producer clock, the next base fee', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const b = h.backend
  b.clock.increaseTime(500n)
  const head = b.head().header
  const env = pendingBlockOverrides({ blocks: b, chainInfo: b, producer: b })
  t.same(env, { number: head.number + 1n, time: 500n, baseFee: calcNextBaseFee(head, b.baseFeeParams) })
  b.clock.setNextTimestamp(9_000n, head.timestamp)
  t.equal(pendingBlockOverrides({ blocks: b, chainInfo: b, producer: b }).time, 9_000n, 'a requested next timestamp (evm_setNextBlockTimestamp)')
})

t.test('eth_estimateGas: no block or "pending" estimates in the next block; "latest" and numbers in their own', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const b = h.backend
  b.clock.increaseTime(60n)
  const call = { from: dev0, to: dev1, value: '0x1' }
  const next = { number: b.head().header.number + 1n, time: 60n, baseFee: calcNextBaseFee(b.head().header, b.baseFeeParams) }
  for (const params of [[call], [call, null], [call, 'pending'], [call, { blockNumber: 'pending' }]]) {
    t.equal((await h.rpc('eth_estimateGas', params)).result, '0x5208')
    t.same(b.lastBlockOverrides, next, `${JSON.stringify(params.slice(1))}: the next block's number, time and base fee`)
  }
  await h.rpc('eth_estimateGas', [call, 'pending', {}, { time: '0x99' }])
  t.same(b.lastBlockOverrides, { ...next, time: 0x99n }, 'block overrides given win')
  for (const block of ['latest', '0x0']) {
    await h.rpc('eth_estimateGas', [call, block])
    t.equal(b.lastBlockOverrides, undefined, `${block}: the block's own environment`)
  }
})

t.test('eth_call: "pending" runs in the next block, no block or "latest" in the head', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const b = h.backend
  b.clock.increaseTime(30n)
  const call = { from: dev0, to: dev1 }
  await h.rpc('eth_call', [call, 'pending'])
  t.same(b.lastBlockOverrides, { number: 1n, time: 30n, baseFee: calcNextBaseFee(b.head().header, b.baseFeeParams) })
  for (const params of [[call], [call, 'latest']]) {
    await h.rpc('eth_call', params)
    t.equal(b.lastBlockOverrides, undefined, `${JSON.stringify(params.slice(1))}: the head's environment (geth)`)
  }
})

t.test('eth_sendTransaction and eth_fillTransaction fill the gas estimated for the next block', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const b = h.backend
  b.clock.increaseTime(7n)
  for (const method of ['eth_fillTransaction', 'eth_sendTransaction']) {
    b.lastBlockOverrides = undefined
    t.notOk((await h.rpc(method, [{ from: dev0, to: dev1, value: '0x1' }])).error, method)
    t.same(b.lastBlockOverrides, { number: 1n, time: 7n, baseFee: calcNextBaseFee(b.head().header, b.baseFeeParams) }, `${method}: estimated in the next block`)
  }
})
