// The one log matcher (eth_getLogs, log filters, subscriptions) against geth's rule, and the bloom pre-check.
import t from 'tap'
import { Bloom } from '@ethereumjs/vm'
import { bloomMayMatch, matchLog } from '../../../../runtime/index.ts'

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
