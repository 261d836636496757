// debug_traceBlockByNumber / debug_traceBlockByHash (callTracer), geth's [{ txHash, result }].
import t from 'tap'
import { toHex } from '../../../../../rpc/index.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

t.test('one callTracer frame per tx, in block order', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const to = `0x${'66'.repeat(20)}` as const
  const a = h.backend.signedTransfer(0, 0n, to, 1n)
  const b = h.backend.signedTransfer(1, 0n, to, 1n)
  await h.backend.sendTransaction(a)
  await h.backend.sendTransaction(b)
  const { block } = h.backend.mine()
  const tracer = { tracer: 'callTracer' }
  const byNumber = (await h.rpc('debug_traceBlockByNumber', ['latest', tracer])).result as { txHash: string; result: { type: string } }[]
  t.same(
    byNumber.map((r) => r.txHash),
    [toHex(a.hash()), toHex(b.hash())],
  )
  t.equal(byNumber[0]!.result.type, 'CALL')
  t.same((await h.rpc('debug_traceBlockByHash', [toHex(block.hash()), tracer])).result, byNumber)
  t.same((await h.rpc('debug_traceBlockByNumber', ['0x0', tracer])).result, [], 'no txs')
  t.same((await h.rpc('debug_traceBlockByNumber', ['0x99', tracer])).error, { code: -32000, message: 'block not found' })
  t.equal((await h.rpc('debug_traceBlockByNumber', ['latest', { tracer: 'prestateTracer' }])).error?.code, -32602)
})
