// eth_getLogs, log filters (eth_newFilter / eth_getFilterChanges / eth_getFilterLogs) answer the
// same query the same way, with geth's rule, on a real chain (LevelDB in a temp dir).
import t from 'tap'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { startRpcNode } from '../../../fixtures/chain/rpcNode.ts'
import { createAddressFromString } from '@ethereumjs/util'

const T = '0x' + '77'.repeat(32)
// runtime: LOG1(0, 0, T); STOP
const EMITTER = '0x00000000000000000000000000000000000e3177'
const EMITTER_CODE = `0x7f${T.slice(2)}60006000a100` as const

const accounts = testAccounts(1, 'log-agreement')
const spec = createTestSpec({ accounts, extraAlloc: { [EMITTER]: { balance: 0n, code: EMITTER_CODE } } })
const { chain, rpc } = await startRpcNode(t, spec)

t.test('a one-topic log against [T, null], [T] and [null]: getLogs and filters agree with geth', async (t) => {
  const cases: [name: string, topics: (string | null)[], matches: boolean][] = [
    ['[T, null]', [T, null], false],
    ['[null, null]', [null, null], false],
    ['[T]', [T], true],
    ['[null]', [null], true],
    ['[]', [], true],
  ]
  const filters = new Map<string, string>()
  for (const [name, topics] of cases) filters.set(name, (await rpc('eth_newFilter', [{ address: EMITTER, topics }])).result)
  const tx = signed1559(chain.common, accounts[0]!, { nonce: 0n, to: createAddressFromString(EMITTER), gasLimit: 100_000n })
  const { receipts } = await chain.buildBlock([tx], { timestamp: chain.head().header.timestamp + 1n })
  t.equal(receipts[0]?.logs.length, 1, 'the tx emitted one log with one topic')
  const block = '0x' + chain.head().header.number.toString(16)
  for (const [name, topics, matches] of cases) {
    const want = matches ? 1 : 0
    const logs = await rpc('eth_getLogs', [{ fromBlock: block, toBlock: block, address: EMITTER, topics }])
    t.equal(logs.result?.length, want, `eth_getLogs ${name}`)
    const changes = await rpc('eth_getFilterChanges', [filters.get(name)])
    t.equal(changes.result?.length, want, `eth_getFilterChanges ${name}`)
    const all = await rpc('eth_getFilterLogs', [filters.get(name)])
    t.equal(all.result?.length, want, `eth_getFilterLogs ${name}`)
  }
})
