import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { createMetrics } from '../../../../node/metrics/index.ts'
import type { ExecutedBlock } from '../../../../runtime/index.ts'

function fakeHead(number: bigint, txs: number, gasUsed: bigint): ExecutedBlock {
  return { block: { header: { number, gasUsed }, transactions: new Array(txs) }, receipts: [] } as unknown as ExecutedBlock
}

t.test('exposes height, txs, tx rate, pool size and build time with unit suffixes', async (t) => {
  const metrics = createMetrics({ collectDefault: false, txRateWindowSeconds: 10 })
  t.teardown(() => metrics.close())
  metrics.onHead(fakeHead(1n, 3, 63_000n))
  metrics.onHead(fakeHead(2n, 7, 147_000n))
  metrics.observeBlockBuild(0.02)
  metrics.setTxPoolStatusSource(() => ({ pending: 4, queued: 2 }))
  const text = await metrics.render()
  t.match(text, /^openledger_chain_head_number 2$/m)
  t.match(text, /^openledger_chain_txs_total 10$/m)
  t.match(text, /^openledger_chain_gas_used_total 210000$/m)
  t.match(text, /^openledger_chain_txs_per_second 1$/m, '10 txs over a 10 s window')
  t.match(text, /^openledger_txpool_txs\{state="pending"\} 4$/m)
  t.match(text, /^openledger_txpool_txs\{state="queued"\} 2$/m)
  t.match(text, /^openledger_sequencer_block_build_seconds_count 1$/m)
  t.match(text, /^openledger_sequencer_block_build_seconds_bucket\{le="0.025"\} 1$/m)
  t.match(text, /^# TYPE openledger_sequencer_block_build_seconds histogram$/m)
})

t.test('default process metrics are prefixed', async (t) => {
  const metrics = createMetrics()
  t.teardown(() => metrics.close())
  t.match(await metrics.render(), /^openledger_process_cpu_seconds_total /m)
})

t.test('HTTP handler serves GET /metrics as Prometheus text and refuses POST', async (t) => {
  const metrics = createMetrics({ collectDefault: false })
  const server = createServer((req, res) => metrics.handler(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    metrics.close()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`
  const res = await fetch(url)
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type') ?? '', 'text/plain')
  t.match(await res.text(), 'openledger_chain_head_number')
  const post = await fetch(url, { method: 'POST' })
  t.equal(post.status, 405)
  await post.arrayBuffer()
})
