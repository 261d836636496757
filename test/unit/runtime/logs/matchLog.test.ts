// The one log matcher (eth_getLogs, log filters, subscriptions) against geth's rule, the bloom
// pre-check, and eth_getLogs and log filters answering alike on a real chain (LevelDB in a temp dir).
import t from 'tap'
import { Bloom } from '@ethereumjs/vm'
import { createAddressFromString } from '@ethereumjs/util'
import { bloomMayMatch, createBloomMatcher, matchLog } from '../../../../runtime/index.ts'
import { createPrng } from '../../../fixtures/chain/prng.ts'
import { startNodeHarness } from '../../../fixtures/rpc/nodeHarness.ts'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'

const addr = (b: number) => new Uint8Array(20).fill(b)
const word = (b: number) => new Uint8Array(32).fill(b)

t.test('addresses and position-wise topics', async (t) => {
  const l = { address: addr(9), topics: [word(7), word(8)] }
  t.ok(matchLog({}, l.address, l.topics), 'empty filter')
  t.ok(matchLog({ addresses: [addr(1), addr(9)] }, l.address, l.topics), 'address OR')
  t.notOk(matchLog({ addresses: [addr(1)] }, l.address, l.topics), 'other address')
  t.ok(matchLog({ topics: [null, [word(1), word(8)]] }, l.address, l.topics), 'topic OR at position 1')
  t.ok(matchLog({ topics: [word(7)] }, l.address, l.topics), 'a single topic (not an OR-list)')
  t.ok(matchLog({ topics: [[], word(8)] }, l.address, l.topics), 'an empty OR-list is a wildcard')
  t.notOk(matchLog({ topics: [word(8)] }, l.address, l.topics), 'wrong position')
  t.notOk(matchLog({ topics: [null, null, word(1)] }, l.address, l.topics), 'missing topic')
})

t.test("geth's rule: more filter positions than the log has topics never match, wildcards or not", async (t) => {
  const T = word(7)
  const oneTopic = [T]
  t.notOk(matchLog({ topics: [T, null] }, addr(1), oneTopic), '[T, null] against a log with one topic: false (geth)')
  t.notOk(matchLog({ topics: [null, null] }, addr(1), oneTopic), '[null, null] against one topic: false')
  t.ok(matchLog({ topics: [T] }, addr(1), oneTopic), '[T] against [T]')
  t.ok(matchLog({ topics: [T, null] }, addr(1), [T, word(1)]), '[T, null] against two topics')
  t.notOk(matchLog({ topics: [null] }, addr(1), []), 'a wildcard position against a log without topics')
  t.ok(matchLog({ topics: [] }, addr(1), []), 'no positions against a log without topics')
})

t.test('bloom pre-check', async (t) => {
  const bloom = new Bloom()
  bloom.add(addr(9))
  bloom.add(word(7))
  t.ok(bloomMayMatch({ topics: [word(7)] }, bloom.bitvector), 'bloom hit')
  t.notOk(bloomMayMatch({ topics: [word(42)] }, bloom.bitvector), 'bloom miss')
  t.notOk(bloomMayMatch({ addresses: [addr(3)] }, bloom.bitvector), 'address miss')
  t.ok(bloomMayMatch({ topics: [null, [word(42), word(7)]] }, bloom.bitvector), 'an OR-list with one candidate in the bloom')
})

t.test('the compiled bloom matcher answers as Bloom.check, over random blooms and filters (seeded)', async (t) => {
  const prng = createPrng(20261207)
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => prng.int(256))
  // a small pool, so filters hit the blooms' values often
  const addresses = Array.from({ length: 6 }, () => bytes(20))
  const topics = Array.from({ length: 6 }, () => bytes(32))
  const check = (bloom: Bloom, m: { addresses?: Uint8Array[]; topics?: (Uint8Array | Uint8Array[] | null)[] }): boolean => {
    if (m.addresses !== undefined && m.addresses.length > 0 && !m.addresses.some((a) => bloom.check(a))) return false
    for (const want of m.topics ?? []) {
      const options = want === null ? [] : Array.isArray(want) ? want : [want]
      if (options.length > 0 && !options.some((v) => bloom.check(v))) return false
    }
    return true
  }
  let hits = 0
  for (let i = 0; i < 300; i++) {
    const bloom = new Bloom()
    for (let k = prng.int(4); k > 0; k--) bloom.add(prng.pick(addresses))
    for (let k = prng.int(6); k > 0; k--) bloom.add(prng.pick(topics))
    const m = {
      addresses: Array.from({ length: prng.int(3) }, () => prng.pick(addresses)),
      topics: Array.from({ length: prng.int(4) }, () => {
        const kind = prng.int(3)
        return kind === 0 ? null : kind === 1 ? prng.pick(topics) : Array.from({ length: prng.int(3) }, () => prng.pick(topics))
      }),
    }
    const want = check(bloom, m)
    if (want) hits++
    t.equal(createBloomMatcher(m)(bloom.bitvector), want, `case ${i}`)
    t.equal(bloomMayMatch(m, bloom.bitvector), want, `case ${i}: bloomMayMatch`)
  }
  t.ok(hits > 30 && hits < 270, `both answers occur (${hits} of 300 may match)`)
})

const TOPIC = '0x' + '77'.repeat(32)
// runtime: LOG1(0, 0, T); STOP
const EMITTER = '0x00000000000000000000000000000000000e3177'
const EMITTER_CODE = `0x7f${TOPIC.slice(2)}60006000a100` as const

const accounts = testAccounts(1, 'log-agreement')
const spec = createTestSpec({ accounts, extraAlloc: { [EMITTER]: { balance: 0n, code: EMITTER_CODE } } })
const node = await startNodeHarness({ spec, dev: false })
t.teardown(() => node.close())
const { chain, rpc } = node

t.test('a one-topic log against [TOPIC, null], [TOPIC] and [null]: getLogs and filters agree with geth', async (t) => {
  const cases: [name: string, topics: (string | null)[], matches: boolean][] = [
    ['[TOPIC, null]', [TOPIC, null], false],
    ['[null, null]', [null, null], false],
    ['[TOPIC]', [TOPIC], true],
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
