// The --dev control methods (evm_increaseTime, evm_setNextBlockTimestamp, evm_snapshot,
// evm_revert, anvil_setBalance / hardhat_setBalance) through the server on the fake backend: their
// params, answers and errors, and -32601 wherever the node is not a --dev sequencer.
import t from 'tap'
import { FakeBackend } from '../../../fixtures/rpc/fakeBackend.ts'
import { startHarness } from '../../../fixtures/rpc/harness.ts'

const h = await startHarness()
t.teardown(() => h.close())
const ADDRESS = '0x00000000000000000000000000000000000000ee'
const METHODS: [string, unknown[]][] = [
  ['evm_increaseTime', [1]],
  ['evm_setNextBlockTimestamp', ['0xffffffff']],
  ['evm_snapshot', []],
  ['evm_revert', ['0x1']],
  ['anvil_setBalance', [ADDRESS, '0x1']],
  ['hardhat_setBalance', [ADDRESS, '0x1']],
]

t.test('-32601 without --dev, and on a --dev node that is not the sequencer', async (t) => {
  const prod = await startHarness({ dev: false })
  const follower = new FakeBackend()
  follower.devControls = undefined
  const devFollower = await startHarness({ backend: follower })
  t.teardown(async () => {
    await prod.close()
    await devFollower.close()
  })
  for (const [method, params] of METHODS) {
    t.equal((await prod.rpc(method, params)).error?.code, -32601, `${method} without --dev`)
    const r = await devFollower.rpc(method, params)
    t.same(r.error, { code: -32601, message: `${method} is only available on a --dev sequencer` }, `${method} without a sequencer`)
  }
  t.same(prod.backend.devCalls, [], 'the controls were never reached')
})

t.test('evm_increaseTime takes a number or a quantity and answers the total offset as a number (anvil)', async (t) => {
  t.equal((await h.rpc('evm_increaseTime', [60])).result, 60)
  t.equal((await h.rpc('evm_increaseTime', ['0x93a80'])).result, 60 + 604_800, 'a hex quantity adds up')
  t.equal((await h.rpc('evm_increaseTime', ['100'])).result, 604_960, 'a decimal string too')
  t.equal((await h.rpc('evm_increaseTime', [0])).result, 604_960, '0 answers the total')
  const bad: [unknown[], string][] = [
    [[-1], 'negative'],
    [[1.5], 'not an integer'],
    [['0x'], 'empty quantity'],
    [['0x01'], 'leading zero'],
    [['ten'], 'not a number'],
    [[true], 'a boolean'],
    [[{}], 'an object'],
    [['0x20000000000000'], '2^53'],
    [[9_007_199_254_740_992], 'a number above 2^53 - 1'],
    [[], 'missing'],
    [[1, 2], 'two params'],
  ]
  for (const [params, what] of bad) t.equal((await h.rpc('evm_increaseTime', params)).error?.code, -32602, what)
  t.match((await h.rpc('evm_increaseTime', [-1])).error?.message, /^invalid argument 0: invalid seconds$/)
  t.equal(h.backend.devCalls.filter((c) => c[0] === 'increaseTime').length, 4, 'only the valid calls reached the controls')
})

t.test('evm_setNextBlockTimestamp: above the head or -32602 "Timestamp error"', async (t) => {
  const head = h.backend.head().header.timestamp
  t.equal((await h.rpc('evm_setNextBlockTimestamp', [Number(head + 100n)])).result, null, 'anvil answers null')
  t.equal((await h.rpc('evm_setNextBlockTimestamp', ['0x' + (head + 1n).toString(16)])).result, null, 'a hex quantity')
  t.same(h.backend.devCalls.at(-1), ['setNextBlockTimestamp', head + 1n])
  const same = await h.rpc('evm_setNextBlockTimestamp', [Number(head)])
  t.same(same.error, { code: -32602, message: `Timestamp error: ${head} is lower than or equal to previous block's timestamp ${head}` })
  t.equal((await h.rpc('evm_setNextBlockTimestamp', [0])).error?.code, -32602, 'in the past')
  t.equal((await h.rpc('evm_setNextBlockTimestamp', ['0x1ffffffffffffff'])).error?.code, -32602, 'above 2^53 - 1')
  t.equal((await h.rpc('evm_setNextBlockTimestamp', [null])).error?.code, -32602, 'null')
  t.equal((await h.rpc('evm_setNextBlockTimestamp', [])).error?.code, -32602, 'missing')
})

t.test('evm_snapshot answers ids as quantities; evm_revert answers true once, false for unknown or used ids', async (t) => {
  t.equal((await h.rpc('evm_snapshot')).result, '0x1')
  t.equal((await h.rpc('evm_snapshot')).result, '0x2')
  t.equal((await h.rpc('evm_snapshot', [1])).error?.code, -32602, 'no params taken')
  t.equal((await h.rpc('evm_revert', ['0x2'])).result, true)
  t.equal((await h.rpc('evm_revert', ['0x2'])).result, false, 'used up')
  t.equal((await h.rpc('evm_revert', ['0x9'])).result, false, 'unknown')
  t.equal((await h.rpc('evm_revert', ['0x1'])).result, true)
  t.same(
    h.backend.devCalls.filter((c) => c[0] === 'revert'),
    [
      ['revert', 2n],
      ['revert', 2n],
      ['revert', 9n],
      ['revert', 1n],
    ],
    'ids decoded as quantities',
  )
  for (const params of [[], ['1'], [1], ['0x01'], ['0x1', '0x2']]) {
    t.equal((await h.rpc('evm_revert', params)).error?.code, -32602, `evm_revert ${JSON.stringify(params)}`)
  }
})

t.test('anvil_setBalance and hardhat_setBalance: one handler, each answering as its namesake', async (t) => {
  t.equal((await h.rpc('anvil_setBalance', [ADDRESS, '0xde0b6b3a7640000'])).result, null, 'anvil answers null')
  t.equal((await h.rpc('eth_getBalance', [ADDRESS, 'latest'])).result, '0xde0b6b3a7640000')
  t.equal((await h.rpc('hardhat_setBalance', [ADDRESS, '0x0'])).result, true, 'Hardhat answers true')
  t.equal((await h.rpc('eth_getBalance', [ADDRESS, 'latest'])).result, '0x0')
  t.same(h.backend.devCalls.filter((c) => c[0] === 'setBalance').at(-2), ['setBalance', ADDRESS, 10n ** 18n])
  const bad: [unknown[], string][] = [
    [[ADDRESS], 'balance missing'],
    [['0x1234', '0x1'], 'short address'],
    [[ADDRESS, 1], 'a number balance'],
    [[ADDRESS, '0x' + 'f'.repeat(65)], 'above 256 bits'],
    [[ADDRESS, '-0x1'], 'negative'],
  ]
  for (const [params, what] of bad) {
    for (const method of ['anvil_setBalance', 'hardhat_setBalance']) t.equal((await h.rpc(method, params)).error?.code, -32602, `${method}: ${what}`)
  }
})
