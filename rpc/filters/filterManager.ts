import { randomBytes } from 'node:crypto'
import type { ExecutedBlock } from '../../runtime/index.ts'
import type { ChainEvents } from '../ports/index.ts'
import type { LogCriteria } from '../params/logFilter.ts'
import { RPC_ERROR, RpcError } from '../errors.ts'
import { toHex } from '../hex.ts'
import { formatLog, receiptBlock } from '../format/formatReceipt.ts'
import { matchLog } from '../../runtime/index.ts'

/** Kinds of installed filter. */
export const FILTER_KIND = { LOGS: 'logs', BLOCKS: 'blocks', PENDING: 'pending' } as const
/** One of {@link FILTER_KIND}. */
export type FilterKind = (typeof FILTER_KIND)[keyof typeof FILTER_KIND]

type Filter = {
  kind: FilterKind
  criteria: LogCriteria | undefined
  /** buffered changes since the last poll (block hashes, tx hashes or formatted logs) */
  buffer: unknown[]
  lastUsed: number
}

/** Filter manager options; defaults mirror geth (5 minute deadline). */
export type FilterManagerOptions = {
  /** a filter not polled for this long is removed, ms */
  timeoutMs: number
  /** most installed filters */
  maxFilters: number
  /** most buffered changes per filter; older ones are dropped first */
  maxBuffered: number
  /** clock, injectable for tests */
  now: () => number
}

/** Defaults for {@link FilterManagerOptions}. */
export const defaultFilterManagerOptions: FilterManagerOptions = {
  timeoutMs: 5 * 60_000,
  maxFilters: 10_000,
  maxBuffered: 10_000,
  now: () => Date.now(),
}

/**
 * Polling filters (eth_newFilter / eth_newBlockFilter / eth_newPendingTransactionFilter).
 * Changes are pushed from backend events into per-filter buffers; a filter that is not
 * polled within `timeoutMs` expires (swept on a timer and on every access).
 */
export class FilterManager {
  private readonly filters = new Map<string, Filter>()
  private readonly opts: FilterManagerOptions
  private readonly events: ChainEvents
  private readonly timer: NodeJS.Timeout
  private readonly onHead = (e: ExecutedBlock): void => this.handleHead(e)
  private readonly onPending = (hash: Uint8Array): void => this.push(FILTER_KIND.PENDING, toHex(hash))

  constructor(events: ChainEvents, options: Partial<FilterManagerOptions> = {}) {
    this.opts = { ...defaultFilterManagerOptions, ...options }
    this.events = events
    events.on('head', this.onHead)
    events.on('pendingTx', this.onPending)
    this.timer = setInterval(() => this.sweep(), Math.max(1000, Math.floor(this.opts.timeoutMs / 4)))
    this.timer.unref()
  }

  /** Number of live filters. */
  get size(): number {
    return this.filters.size
  }

  /** Install a filter; returns its id. */
  install(kind: FilterKind, criteria?: LogCriteria): string {
    this.sweep()
    if (this.filters.size >= this.opts.maxFilters) {
      throw new RpcError(RPC_ERROR.LIMIT_EXCEEDED, `too many filters installed: limit ${this.opts.maxFilters}`)
    }
    const id = toHex(randomBytes(16))
    this.filters.set(id, { kind, criteria, buffer: [], lastUsed: this.opts.now() })
    return id
  }

  /** Remove a filter; true when it existed. */
  uninstall(id: string): boolean {
    return this.filters.delete(id)
  }

  /** The filter's kind and criteria (marks it used), or throws -32000 "filter not found". */
  get(id: string): { kind: FilterKind; criteria: LogCriteria | undefined } {
    const f = this.live(id)
    return { kind: f.kind, criteria: f.criteria }
  }

  /** Drain the changes buffered since the last poll. */
  changes(id: string): unknown[] {
    const f = this.live(id)
    const out = f.buffer
    f.buffer = []
    return out
  }

  /** Remove expired filters. */
  sweep(): void {
    const deadline = this.opts.now() - this.opts.timeoutMs
    for (const [id, f] of this.filters) if (f.lastUsed < deadline) this.filters.delete(id)
  }

  /** Stop listening and drop all filters. */
  close(): void {
    clearInterval(this.timer)
    this.events.off('head', this.onHead)
    this.events.off('pendingTx', this.onPending)
    this.filters.clear()
  }

  private live(id: string): Filter {
    const f = this.filters.get(id)
    const now = this.opts.now()
    if (f === undefined || f.lastUsed < now - this.opts.timeoutMs) {
      this.filters.delete(id)
      throw new RpcError(RPC_ERROR.INVALID_INPUT, 'filter not found')
    }
    f.lastUsed = now
    return f
  }

  private append(f: Filter, item: unknown): void {
    f.buffer.push(item)
    if (f.buffer.length > this.opts.maxBuffered) f.buffer.splice(0, f.buffer.length - this.opts.maxBuffered)
  }

  private push(kind: FilterKind, item: unknown): void {
    for (const f of this.filters.values()) if (f.kind === kind) this.append(f, item)
  }

  private handleHead(e: ExecutedBlock): void {
    if (this.filters.size === 0) return
    const block = receiptBlock(e.block.header)
    const number = block.blockNumber
    const hashHex = toHex(block.blockHash)
    for (const f of this.filters.values()) {
      if (f.kind === FILTER_KIND.BLOCKS) this.append(f, hashHex)
      else if (f.kind === FILTER_KIND.LOGS && f.criteria !== undefined) {
        const c = f.criteria
        if (c.blockHash !== undefined) continue
        if (c.fromBlock.kind === 'number' && number < c.fromBlock.number) continue
        if (c.toBlock.kind === 'number' && number > c.toBlock.number) continue
        for (const r of e.receipts) {
          for (const l of r.logs) {
            if (matchLog(c, l.address, l.topics)) this.append(f, formatLog(l, block, r.txHash, r.txIndex))
          }
        }
      }
    }
  }
}
