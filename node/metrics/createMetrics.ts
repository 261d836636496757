import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { ExecutedBlock } from '../../runtime/index.ts'
import type { TxPoolStatus } from '../txpool/index.ts'

/** Options of {@link createMetrics}. */
export type MetricsOptions = {
  /** prefix of every metric name */
  prefix: string
  /** also export prom-client's process/Node.js metrics (cpu, memory, event loop lag) */
  collectDefault: boolean
  /** window of the tx-rate gauge, seconds */
  txRateWindowSeconds: number
}

/** Defaults of {@link MetricsOptions}. */
export const defaultMetricsOptions: MetricsOptions = {
  prefix: 'openledger_',
  collectDefault: true,
  txRateWindowSeconds: 60,
}

/** Block build times span ~1 ms (empty block) to seconds (2,000-tx blocks on LevelDB, shared/specs/ethereumjs.md §3). */
const BUILD_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** The node's Prometheus metrics. */
export type NodeMetrics = {
  readonly registry: Registry
  /** record a committed head block (height, txs, gas, tx rate) */
  onHead(executed: ExecutedBlock): void
  /** set the height gauge without counting txs (the head found at start-up) */
  setHeadNumber(number: bigint): void
  /** record one block build (seconds of wall time) */
  observeBlockBuild(seconds: number): void
  /** where the pool-size gauge reads from at scrape time */
  setTxPoolStatusSource(source: () => TxPoolStatus): void
  /** the Prometheus text exposition */
  render(): Promise<string>
  /** HTTP handler for GET /metrics (mount on the RPC server) */
  handler(req: IncomingMessage, res: ServerResponse): void
  close(): void
}

/**
 * Create the node's metrics on a private registry. Names carry unit suffixes (STYLE §6):
 * openledger_chain_head_number, openledger_chain_txs_total, openledger_chain_gas_used_total,
 * openledger_chain_txs_per_second (over the last `txRateWindowSeconds`),
 * openledger_txpool_txs{state="pending"|"queued"}, openledger_sequencer_block_build_seconds.
 *
 * @example
 * const metrics = createMetrics()
 * chain.on('head', metrics.onHead)
 * rpcOptions.httpHandlers['/metrics'] = metrics.handler
 */
export function createMetrics(options: Partial<MetricsOptions> = {}): NodeMetrics {
  const opts = { ...defaultMetricsOptions, ...options }
  const registry = new Registry()
  const p = opts.prefix
  if (opts.collectDefault) collectDefaultMetrics({ register: registry, prefix: p })

  const headNumber = new Gauge({ name: `${p}chain_head_number`, help: 'Number of the latest committed block', registers: [registry] })
  const txsTotal = new Counter({ name: `${p}chain_txs_total`, help: 'Transactions in committed blocks', registers: [registry] })
  const gasTotal = new Counter({ name: `${p}chain_gas_used_total`, help: 'Gas used by committed blocks', registers: [registry] })
  // Metrics are not consensus: a monotonic wall clock is fine here.
  const window: { at: number; txs: number }[] = []
  const windowMs = opts.txRateWindowSeconds * 1000
  const txRate = new Gauge({
    name: `${p}chain_txs_per_second`,
    help: `Transactions per second committed over the last ${opts.txRateWindowSeconds} s`,
    registers: [registry],
    collect() {
      const now = performance.now()
      while (window.length > 0 && now - window[0]!.at > windowMs) window.shift()
      let txs = 0
      for (const entry of window) txs += entry.txs
      this.set(txs / opts.txRateWindowSeconds)
    },
  })
  let poolSource: (() => TxPoolStatus) | undefined
  new Gauge({
    name: `${p}txpool_txs`,
    help: 'Transactions in the pool by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      if (poolSource === undefined) return
      const status = poolSource()
      this.set({ state: 'pending' }, status.pending)
      this.set({ state: 'queued' }, status.queued)
    },
  })
  const buildSeconds = new Histogram({
    name: `${p}sequencer_block_build_seconds`,
    help: 'Wall time to build, execute and commit one block',
    buckets: BUILD_BUCKETS,
    registers: [registry],
  })
  void txRate

  const render = (): Promise<string> => registry.metrics()
  return {
    registry,
    onHead(executed: ExecutedBlock): void {
      const txs = executed.block.transactions.length
      headNumber.set(Number(executed.block.header.number))
      txsTotal.inc(txs)
      gasTotal.inc(Number(executed.block.header.gasUsed))
      window.push({ at: performance.now(), txs })
    },
    setHeadNumber(number: bigint): void {
      headNumber.set(Number(number))
    },
    observeBlockBuild(seconds: number): void {
      buildSeconds.observe(seconds)
    },
    setTxPoolStatusSource(source: () => TxPoolStatus): void {
      poolSource = source
    },
    render,
    handler(req: IncomingMessage, res: ServerResponse): void {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end()
        return
      }
      render().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType })
          res.end(req.method === 'HEAD' ? undefined : text)
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n')
        },
      )
    },
    close(): void {
      registry.clear()
    },
  }
}
