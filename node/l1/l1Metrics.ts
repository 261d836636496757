import { Counter, Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import { defaultMetricsOptions } from '../metrics/index.ts'

/** The L1 follower's Prometheus metrics. */
export type L1Metrics = {
  /** latest L1 block number seen */
  headNumber: Gauge
  /** latest L1 head minus the last origin handed out */
  originLagBlocks: Gauge
  /** user deposits derived from L1 blocks (each block counted once) */
  depositsTotal: Counter
  /** TransactionDeposited logs of the portal that derivation refused (skipped) */
  depositLogsMalformedTotal: Counter
  /** failed L1 JSON-RPC requests */
  rpcErrorsTotal: Counter
  /** reorgs that replaced a block the follower had already handed out as confirmed */
  deepReorgsTotal: Counter
}

/**
 * Register the L1 follower's metrics on `registry` (the node's, NodeMetrics.registry):
 * <prefix>l1_head_number, l1_origin_lag_blocks, l1_deposits_total, l1_deposit_logs_malformed_total,
 * l1_rpc_errors_total, l1_deep_reorgs_total.
 *
 * @example
 * const follower = await createL1Follower({ ..., metrics: createL1Metrics(nodeMetrics.registry) })
 */
export function createL1Metrics(registry: Registry, prefix = defaultMetricsOptions.prefix): L1Metrics {
  const registers = [registry]
  return {
    headNumber: new Gauge({ name: `${prefix}l1_head_number`, help: 'Latest L1 block number seen', registers }),
    originLagBlocks: new Gauge({ name: `${prefix}l1_origin_lag_blocks`, help: 'L1 head number minus the number of the last L1 origin handed out', registers }),
    depositsTotal: new Counter({ name: `${prefix}l1_deposits_total`, help: 'User deposits derived from L1 blocks', registers }),
    depositLogsMalformedTotal: new Counter({
      name: `${prefix}l1_deposit_logs_malformed_total`,
      help: 'TransactionDeposited logs of the portal refused by derivation',
      registers,
    }),
    rpcErrorsTotal: new Counter({ name: `${prefix}l1_rpc_errors_total`, help: 'Failed L1 JSON-RPC requests', registers }),
    deepReorgsTotal: new Counter({
      name: `${prefix}l1_deep_reorgs_total`,
      help: 'L1 reorgs that replaced an already confirmed origin (not followed)',
      registers,
    }),
  }
}
