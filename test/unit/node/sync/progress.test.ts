import t from 'tap'
import { pino } from 'pino'
import { createProgress, formatEta, renderBar } from '../../../../node/sync/index.ts'

function clock(): { now: () => number; advance: (ms: number) => void } {
  let ms = 1_000
  return { now: () => ms, advance: (d) => (ms += d) }
}

function logSink(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) })
  return { logger, lines }
}

t.test('formatEta', async (t) => {
  t.equal(formatEta(undefined), '?')
  t.equal(formatEta(42.4), '42s')
  t.equal(formatEta(185), '3m05s')
  t.equal(formatEta(3725), '1h02m')
})

t.test('renderBar', async (t) => {
  t.equal(
    renderBar('sync', { done: 50n, total: 200n, head: 150n, target: 300n, txPerSecond: 5432.4, etaSeconds: 12 }),
    `sync [${'#'.repeat(8)}${'-'.repeat(22)}] 50/200 blocks  5,432 tx/s  ETA 12s`,
  )
})

t.test('on a terminal: a bar redrawn in place, ended by a newline', async (t) => {
  const c = clock()
  const written: string[] = []
  const { logger, lines } = logSink()
  const progress = createProgress({ logger, label: 'import', stream: { isTTY: true, write: (s: string) => written.push(s) }, now: c.now, barIntervalMs: 100 })
  progress.begin(10n, 110n)
  c.advance(1000)
  progress.advance(11n, 100)
  progress.advance(12n, 100) // within the redraw interval: not drawn
  c.advance(1000)
  progress.advance(20n, 800)
  progress.finish()
  t.equal(written.length, 4, 'two draws, the final one and the newline')
  t.ok(written[0]!.startsWith('\r\u001b[2Kimport ['), 'carriage return, erase line, then the bar')
  t.ok(written[0]!.endsWith('] 1/100 blocks  100 tx/s  ETA 1m39s'), written[0])
  t.match(written[1], '10/100 blocks  500 tx/s  ETA 18s')
  t.equal(written[3], '\n')
  t.same(lines, [], 'no log lines on a terminal')
})

t.test('otherwise: a log line every interval', async (t) => {
  const c = clock()
  const { logger, lines } = logSink()
  const progress = createProgress({ logger, label: 'sync', stream: { write: () => t.fail('no bar') }, now: c.now, logIntervalMs: 5_000 })
  progress.begin(0n, 100n)
  for (let n = 1n; n <= 50n; n++) {
    c.advance(200)
    progress.advance(n, 10)
  }
  progress.setTarget(200n)
  progress.setTarget(150n) // never lowered
  progress.finish()
  t.equal(lines.length, 3, 'at 5 s, at 10 s, and the final line')
  t.match(lines[0], { msg: 'sync progress', head: '25', target: '100', blocks: '25', txPerSecond: 50, eta: '15s' })
  t.match(lines[2], { head: '50', target: '200', blocks: '50', eta: '30s' })
})

t.test('nothing imported: no final line', async (t) => {
  const { logger, lines } = logSink()
  const written: string[] = []
  const progress = createProgress({ logger, label: 'sync' })
  progress.begin(5n, 5n)
  progress.finish()
  const tty = createProgress({ logger, label: 'sync', stream: { isTTY: true, write: (s: string) => written.push(s) } })
  tty.begin(5n, 5n)
  tty.finish()
  t.same(lines, [])
  t.same(written, [])
})
