import type { Logger } from 'pino'

/** Where the bar is drawn: a terminal stream (process.stderr). */
export type ProgressStream = { write(text: string): unknown; isTTY?: boolean }

/** Options of {@link createProgress}. */
export type ProgressOptions = {
  /** logs "<label> progress" lines when `stream` is not a terminal */
  logger: Logger
  /** "sync" or "import": the bar's prefix and the log message */
  label: string
  /** the bar's stream; undefined or not a TTY: periodic log lines instead */
  stream?: ProgressStream
  /** milliseconds clock (injectable for tests) */
  now: () => number
  /** at most one log line per this many ms (geth and lodestar log sync progress every few seconds) */
  logIntervalMs: number
  /** at most one bar redraw per this many ms (a redraw per block would flood a slow terminal) */
  barIntervalMs: number
}

/** Defaults of {@link ProgressOptions} (all but logger and label). */
export const defaultProgressOptions = { now: () => performance.now(), logIntervalMs: 5_000, barIntervalMs: 200 } as const

/** Progress of a run of block imports towards a target (range sync, `openledger import`). */
export type Progress = {
  /** start a run: blocks after `head` up to `target`; rates count from now */
  begin(head: bigint, target: bigint): void
  /** the target moved (a peer reported a higher head) */
  setTarget(target: bigint): void
  /** block `number` with `txs` transactions was imported */
  advance(number: bigint, txs: number): void
  /** the run ended: a last bar (ended by a newline) or log line */
  finish(): void
}

/** What one progress line says. */
export type ProgressFigures = { done: bigint; total: bigint; head: bigint; target: bigint; txPerSecond: number; etaSeconds: number | undefined }

/** "1h02m", "3m05s", "42s" (whole seconds). */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?'
  const s = Math.max(0, Math.round(seconds))
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${s}s`
}

const BAR_WIDTH = 30

/** The terminal line: `sync [#####-----] 1,234/5,000 blocks  5,432 tx/s  ETA 12s`. */
export function renderBar(label: string, f: ProgressFigures): string {
  const ratio = f.total === 0n ? 1 : Number(f.done) / Number(f.total)
  const filled = Math.min(BAR_WIDTH, Math.round(ratio * BAR_WIDTH))
  const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`
  return `${label} [${bar}] ${f.done.toLocaleString('en-US')}/${f.total.toLocaleString('en-US')} blocks  ${Math.round(f.txPerSecond).toLocaleString('en-US')} tx/s  ETA ${formatEta(f.etaSeconds)}`
}

/**
 * Progress display shared by range sync and `openledger import`: on a terminal a one-line bar
 * redrawn in place on `stream` (blocks done / to do, tx/s, ETA); otherwise a log line every
 * `logIntervalMs` ({ head, target, blocks, txPerSecond, eta }).
 *
 * @example
 * const progress = createProgress({ logger, label: 'import', stream: process.stderr })
 * progress.begin(head, target); progress.advance(n, txs); progress.finish()
 */
export function createProgress(options: Pick<ProgressOptions, 'logger' | 'label'> & Partial<ProgressOptions>): Progress {
  const opts: ProgressOptions = { ...defaultProgressOptions, ...options }
  const tty = opts.stream?.isTTY === true
  let start = 0n
  let head = 0n
  let target = 0n
  let txs = 0
  let startedAt = 0
  let lastShown = Number.NEGATIVE_INFINITY
  let drawn = false

  const figures = (): ProgressFigures => {
    const seconds = (opts.now() - startedAt) / 1000
    const done = head - start
    const total = target > start ? target - start : 0n
    const blocksPerSecond = seconds > 0 ? Number(done) / seconds : 0
    const remaining = Number(target > head ? target - head : 0n)
    return {
      done,
      total,
      head,
      target,
      txPerSecond: seconds > 0 ? txs / seconds : 0,
      etaSeconds: remaining === 0 ? 0 : blocksPerSecond > 0 ? remaining / blocksPerSecond : undefined,
    }
  }
  const show = (force: boolean): void => {
    const at = opts.now()
    if (!force && at - lastShown < (tty ? opts.barIntervalMs : opts.logIntervalMs)) return
    lastShown = at
    const f = figures()
    if (tty) {
      // \r and erase-line: redraw in place
      opts.stream!.write(`\r\x1b[2K${renderBar(opts.label, f)}`)
      drawn = true
      return
    }
    opts.logger.info(
      { head: f.head.toString(), target: f.target.toString(), blocks: f.done.toString(), txPerSecond: Math.round(f.txPerSecond), eta: formatEta(f.etaSeconds) },
      `${opts.label} progress`,
    )
  }

  return {
    begin(from, to) {
      start = from
      head = from
      target = to
      txs = 0
      startedAt = opts.now()
      // the first log line waits a full interval; the bar shows at once
      lastShown = tty ? Number.NEGATIVE_INFINITY : startedAt
      drawn = false
    },
    setTarget(to) {
      if (to > target) target = to
    },
    advance(number, count) {
      if (number > head) head = number
      if (head > target) target = head
      txs += count
      show(false)
    },
    finish() {
      if (tty) {
        if (head === start && !drawn) return
        show(true)
        opts.stream!.write('\n')
        drawn = false
        return
      }
      if (head > start) show(true)
    },
  }
}
