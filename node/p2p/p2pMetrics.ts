import { Counter, Gauge } from 'prom-client'
import type { Registry } from 'prom-client'

/** Where node/p2p registers its metrics: the node's registry and its name prefix. */
export type P2pMetricsOptions = { registry: Registry; prefix: string }

/** The p2p counters, no-ops when the node runs without metrics. */
export type P2pMetrics = {
  setPeers(count: number): void
  gossipReceived(topic: 'blocks' | 'txs', verdict: 'accept' | 'ignore' | 'reject'): void
  gossipPublished(topic: 'blocks' | 'txs'): void
  reqServed(protocol: 'status' | 'blocks_by_range', result: string): void
}

/**
 * Register <prefix>p2p_peers (gauge), <prefix>p2p_gossip_received_total{topic,verdict},
 * <prefix>p2p_gossip_published_total{topic} and <prefix>p2p_req_served_total{protocol,result}.
 * Without options every method does nothing.
 *
 * @example
 * const metrics = createP2pMetrics({ registry: nodeMetrics.registry, prefix: 'openledger_' })
 */
export function createP2pMetrics(options?: P2pMetricsOptions): P2pMetrics {
  if (options === undefined) return { setPeers() {}, gossipReceived() {}, gossipPublished() {}, reqServed() {} }
  const p = options.prefix
  const registers = [options.registry]
  const peers = new Gauge({ name: `${p}p2p_peers`, help: 'Connected peers', registers })
  const received = new Counter({
    name: `${p}p2p_gossip_received_total`,
    help: 'Gossip messages validated, by topic and verdict',
    labelNames: ['topic', 'verdict'],
    registers,
  })
  const published = new Counter({ name: `${p}p2p_gossip_published_total`, help: 'Gossip messages published', labelNames: ['topic'], registers })
  const served = new Counter({
    name: `${p}p2p_req_served_total`,
    help: 'Requests served, by protocol and result',
    labelNames: ['protocol', 'result'],
    registers,
  })
  return {
    setPeers: (count) => peers.set(count),
    gossipReceived: (topic, verdict) => received.inc({ topic, verdict }),
    gossipPublished: (topic) => published.inc({ topic }),
    reqServed: (protocol, result) => served.inc({ protocol, result }),
  }
}
