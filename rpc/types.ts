import type { Logger } from 'pino'
import type { RpcPorts } from './ports/index.ts'
import type { FilterManager } from './filters/filterManager.ts'

/**
 * Limits enforced by the RPC layer (a violation answers -32005 with the limit named, except an
 * oversized batch, which answers geth's -32600 "batch too large").
 */
export type RpcLimits = {
  /** largest accepted request body, bytes (geth: 5 MiB) */
  maxBodyBytes: number
  /** most requests in one batch (geth: 1000) */
  maxBatchSize: number
  /** widest eth_getLogs / filter block range, in blocks */
  maxLogsBlockRange: bigint
  /** most logs one eth_getLogs / eth_getFilterLogs answer may carry */
  maxLogsResults: number
  /** most live subscriptions per WebSocket connection */
  maxSubscriptionsPerConnection: number
  /** most installed filters over all clients */
  maxFilters: number
  /** per-request deadline, ms (answers -32002 "request timed out") */
  requestTimeoutMs: number
  /** gas cap for eth_call / estimateGas / createAccessList / traceCall (geth: 50M) */
  gasCap: bigint
}

/** A live WebSocket connection as method handlers see it. */
export interface RpcConnection {
  readonly id: number
  /** subscription id -> unsubscribe function */
  readonly subscriptions: Map<string, () => void>
  /** send a JSON-RPC notification (already serialised) */
  send(text: string): void
}

/**
 * Everything a method handler may be given: the node's ports (rpc/ports/) plus the server's own
 * state. Each method names the members it uses (see {@link RpcMethod}).
 */
export type RpcContext = RpcPorts & {
  readonly limits: RpcLimits
  readonly filters: FilterManager
  readonly clientVersion: string
  /** true when the node runs --dev with dev accounts (eth_sendTransaction, eth_sign ...) */
  readonly dev: boolean
  readonly log: Logger
}

/** The part of the context a method with needs `K` sees. */
export type RpcContextOf<K extends keyof RpcContext> = Pick<RpcContext, K>

/**
 * One JSON-RPC method. `K` names the context members (ports, limits, ...) the handler uses: the
 * handler sees only those, so a method's dependencies read off its type (reth's per-role Eth
 * traits). `handler` may return a value or a promise; returning a plain value keeps the hot path
 * free of promise allocation.
 *
 * @example
 * export const blockNumber: RpcMethod<'blocks'> = {
 *   name: 'eth_blockNumber', minParams: 0, maxParams: 0,
 *   handler: (ctx) => toQuantity(ctx.blocks.head().header.number),
 * }
 */
export type RpcMethod<K extends keyof RpcContext = keyof RpcContext> = {
  readonly name: string
  /** required leading params (missing optional params may be omitted or null) */
  readonly minParams: number
  readonly maxParams: number
  /** only over WebSocket (eth_subscribe / eth_unsubscribe) */
  readonly wsOnly?: boolean
  readonly handler: (ctx: RpcContextOf<K>, params: readonly unknown[], conn: RpcConnection | undefined) => unknown
}
