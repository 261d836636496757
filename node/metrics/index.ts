export { createMetrics, defaultMetricsOptions } from './createMetrics.ts'
export type { MetricsOptions, NodeMetrics } from './createMetrics.ts'
