import t from 'tap'
import { FILTER_KIND, FilterManager } from '../../../../rpc/filters/filterManager.ts'
import { RPC_ERROR } from '../../../../rpc/index.ts'
import { FakeBackend } from '../../../fixtures/rpc/fakeBackend.ts'

t.test('filters expire when not polled within the timeout', async (t) => {
  const backend = new FakeBackend()
  let now = 1_000_000
  const fm = new FilterManager(backend, { timeoutMs: 60_000, now: () => now })
  t.teardown(() => fm.close())
  const polled = fm.install(FILTER_KIND.BLOCKS)
  const idle = fm.install(FILTER_KIND.BLOCKS)
  now += 40_000
  t.same(fm.changes(polled), [])
  now += 40_000
  // polled 40 s ago: alive; idle 80 s ago: gone
  t.same(fm.changes(polled), [])
  t.throws(() => fm.changes(idle), { code: RPC_ERROR.INVALID_INPUT, message: 'filter not found' })
  now += 61_000
  fm.sweep()
  t.equal(fm.size, 0)
})

t.test('filter count limit and buffer bound', async (t) => {
  const backend = new FakeBackend()
  const fm = new FilterManager(backend, { maxFilters: 2, maxBuffered: 2 })
  t.teardown(() => fm.close())
  const id = fm.install(FILTER_KIND.BLOCKS)
  fm.install(FILTER_KIND.PENDING)
  t.throws(() => fm.install(FILTER_KIND.BLOCKS), { code: RPC_ERROR.LIMIT_EXCEEDED })
  const hashes = [backend.mine(), backend.mine(), backend.mine()].map((e) => '0x' + Buffer.from(e.block.hash()).toString('hex'))
  t.same(fm.changes(id), hashes.slice(1), 'oldest change dropped first')
})
