// txpool_contentFrom (execution-apis txpool/pool.yaml; geth's ContentFrom).
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../../../genesis/index.ts'
import { toHex } from '../../../../../rpc/index.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

t.test("one sender's pooled txs by nonce", async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const to = `0x${'33'.repeat(20)}` as const
  const a = h.backend.signedTransfer(0, 0n, to, 1n)
  const b = h.backend.signedTransfer(0, 1n, to, 2n)
  await h.backend.sendTransaction(a)
  await h.backend.sendTransaction(b)
  await h.backend.sendTransaction(h.backend.signedTransfer(1, 0n, to, 3n))
  const r = (await h.rpc('txpool_contentFrom', [DEV_ACCOUNTS[0]!.address])).result as { pending: Record<string, { hash: string }>; queued: object }
  t.same(Object.keys(r.pending), ['0', '1'])
  t.equal(r.pending['0']!.hash, toHex(a.hash()))
  t.equal(r.pending['1']!.hash, toHex(b.hash()))
  t.same(r.queued, {})
  t.same((await h.rpc('txpool_contentFrom', [`0x${'44'.repeat(20)}`])).result, { pending: {}, queued: {} }, 'an unknown sender')
  t.equal((await h.rpc('txpool_contentFrom', ['0x12'])).error?.code, -32602)
})
