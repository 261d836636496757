import type { Logger } from 'pino'
import type { ExecutedBlock } from '../../runtime/index.ts'
import { isCodedError } from '../../runtime/index.ts'
import { isPeerFault } from './blockImporter.ts'
import { SYNC_ERROR } from './syncErrors.ts'
import type { BlockImporter, CheckedBlock } from './blockImporter.ts'
import type { Progress } from './progress.ts'
import type { PeerHead, PeerOffence, SyncNetwork } from './syncNetwork.ts'

/** Settings of a range sync run (see SyncOptions). */
export type RangeSyncSettings = {
  /** blocks per blocks_by_range request (node/p2p serves at most 64) */
  batchSize: number
  /** requests in flight at once, across the best peers */
  maxInFlight: number
  /** a request not answered in this many ms counts as a timeout against its peer */
  requestTimeoutMs: number
  /** pause before asking a peer that rate-limited us again (SYNC_ERROR_RATE_LIMITED) */
  rateLimitBackoffMs: number
}

/** What a range sync run works with (createSync provides it). */
export type RangeSyncContext = {
  network: SyncNetwork
  importer: BlockImporter
  log: Logger
  progress: Progress
  settings: RangeSyncSettings
  /** the chain's head number now */
  head(): bigint
  /** import through the sync's one serial queue (shared with gossip) */
  importBlock(checked: CheckedBlock): Promise<ExecutedBlock>
  /** after each batch: import buffered gossip blocks whose parent is now the head */
  afterBatch(): Promise<void>
  stopped(): boolean
}

/** How a run ended: reached the target, no usable peer left, a local import failure, or stop(). */
export type RangeSyncOutcome = 'done' | 'stalled' | 'failed' | 'stopped'

type Fetched = { ok: true; data: Uint8Array[] } | { ok: false; offence: PeerOffence | undefined; err?: unknown }
type Request = { start: bigint; count: number; peerId: string; result: Promise<Fetched> }

/**
 * Fetch and import the blocks after the head up to `target` from `peers`: batches of at most
 * `batchSize`, up to `maxInFlight` requests in flight (each to a peer whose head covers it, in
 * turn), imported strictly in order through the import pipeline (seals required). A peer that
 * times out, answers blocks out of range or sends an invalid block is reported and left out for
 * the rest of the run, and its range is asked again of another peer before the later ones.
 */
export async function syncRange(ctx: RangeSyncContext, target: bigint, peers: readonly PeerHead[]): Promise<RangeSyncOutcome> {
  const { batchSize, maxInFlight } = ctx.settings
  const excluded = new Set<string>()
  let turn = 0
  const request = (start: bigint, count: number): Request | undefined => {
    const end = start + BigInt(count) - 1n
    const eligible = peers.filter((p) => !excluded.has(p.peerId) && p.number >= start)
    const covering = eligible.filter((p) => p.number >= end)
    const pool = covering.length > 0 ? covering : eligible
    if (pool.length === 0) return undefined
    const peerId = pool[turn++ % pool.length]!.peerId
    return { start, count, peerId, result: fetchRange(ctx, peerId, start, count) }
  }

  const queue: Request[] = []
  let next = ctx.head() + 1n
  while (!ctx.stopped()) {
    while (queue.length < maxInFlight && next <= target) {
      const count = Number(target - next + 1n < BigInt(batchSize) ? target - next + 1n : BigInt(batchSize))
      const req = request(next, count)
      if (req === undefined) break
      queue.push(req)
      next += BigInt(count)
    }
    const req = queue.shift()
    if (req === undefined) return next > target ? 'done' : 'stalled'
    const fetched = await req.result
    if (ctx.stopped()) return 'stopped'
    const end = req.start + BigInt(req.count) - 1n
    let imported = req.start - 1n
    let offence: PeerOffence | undefined
    if (excluded.has(req.peerId)) {
      // asked before it misbehaved on an earlier range: do not use (or report) this answer, ask another peer
    } else if (!fetched.ok && isCodedError(fetched.err) && fetched.err.code === SYNC_ERROR.RATE_LIMITED) {
      // the peer serves, just not this fast: pause, then ask it the same range again (no offence)
      ctx.log.debug({ peer: req.peerId, start: req.start, count: req.count }, 'range request rate-limited; backing off')
      await pause(ctx.settings.rateLimitBackoffMs, ctx.stopped)
      queue.unshift({ ...req, result: fetchRange(ctx, req.peerId, req.start, req.count) })
      continue
    } else if (!fetched.ok) {
      offence = fetched.offence
      ctx.log.debug({ peer: req.peerId, start: req.start, count: req.count, offence, err: fetched.err }, 'range request failed')
    } else if (fetched.data.length > req.count) {
      offence = 'invalid_response'
    } else {
      const result = await importAll(ctx, req, fetched.data)
      if (result.outcome === 'failed' || result.outcome === 'stopped') return result.outcome
      imported = result.imported
      offence = result.offence
    }
    if (offence !== undefined) ctx.network.reportPeer(req.peerId, offence)
    // a failed or short answer: leave the peer out of this run, ask the rest of its range first
    if (imported < end) {
      excluded.add(req.peerId)
      const rest = request(imported + 1n, Number(end - imported))
      if (rest === undefined) {
        ctx.log.warn({ from: imported + 1n, target, peers: peers.length, excluded: excluded.size }, 'range sync stalled: no peer left to ask')
        return 'stalled'
      }
      queue.unshift(rest)
    }
    await ctx.afterBatch()
  }
  return 'stopped'
}

/**
 * Import one answer in order; stops at the first bad block (its offence) or a local failure. The
 * answer is decoded first and every block's senders handed to the recovery worker, so they are
 * recovered while the blocks before them execute.
 */
async function importAll(
  ctx: RangeSyncContext,
  req: Request,
  data: Uint8Array[],
): Promise<{ outcome: 'ok' | 'failed' | 'stopped'; imported: bigint; offence?: PeerOffence }> {
  const decoded: { checked: CheckedBlock; ready: Promise<void> }[] = []
  let bad: PeerOffence | undefined
  for (const item of data) {
    const expected = req.start + BigInt(decoded.length)
    let checked: CheckedBlock
    try {
      checked = ctx.importer.decodeSealed(item)
    } catch (err) {
      ctx.log.debug({ peer: req.peerId, number: expected, err }, 'range block rejected')
      bad = 'invalid_block'
      break
    }
    if (checked.number !== expected) {
      ctx.log.debug({ peer: req.peerId, expected, got: checked.number }, 'range answer out of order')
      bad = 'invalid_response'
      break
    }
    decoded.push({ checked, ready: ctx.importer.prefetchSenders(checked) })
  }
  let imported = req.start - 1n
  for (const { checked, ready } of decoded) {
    if (ctx.stopped()) return { outcome: 'stopped', imported }
    await ready
    let executed: ExecutedBlock
    try {
      executed = await ctx.importBlock(checked)
    } catch (err) {
      if (isPeerFault(err)) {
        ctx.log.warn({ peer: req.peerId, number: checked.number, err }, 'range block invalid')
        return { outcome: 'ok', imported, offence: 'invalid_block' }
      }
      ctx.log.error({ number: checked.number, err }, 'range block import failed')
      return { outcome: 'failed', imported }
    }
    imported = checked.number
    ctx.progress.advance(checked.number, executed.block.transactions.length)
  }
  return bad === undefined ? { outcome: 'ok', imported } : { outcome: 'ok', imported, offence: bad }
}

/** Wait `ms` (in 50 ms steps, so a stop is not held up). */
async function pause(ms: number, stopped: () => boolean): Promise<void> {
  for (let waited = 0; waited < ms && !stopped(); waited += 50) await new Promise((resolve) => setTimeout(resolve, Math.min(50, ms - waited)))
}

/** One blocks_by_range request with the sync's own deadline. A thrown error is the transport's (node/p2p scores it), not reported again. */
async function fetchRange(ctx: RangeSyncContext, peerId: string, start: bigint, count: number): Promise<Fetched> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<Fetched>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, offence: 'timeout' }), ctx.settings.requestTimeoutMs)
  })
  const answer = ctx.network.blocksByRange(peerId, start, count).then(
    (data): Fetched => ({ ok: true, data }),
    (err: unknown): Fetched => ({ ok: false, offence: undefined, err }),
  )
  try {
    return await Promise.race([answer, timeout])
  } finally {
    clearTimeout(timer)
  }
}
