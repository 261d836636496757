// rpc/README.md's conformance table against what the server does: every `served` row is a
// registered method, every `-32601` row answers -32601 through the dispatcher, and every
// registered method has a row. The checker tests itself on a small table first.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import t from 'tap'
import { allMethods, createDispatcher, defaultRpcServerOptions, FilterManager, portsOf } from '../../../rpc/index.ts'
import type { RpcMethod } from '../../../rpc/index.ts'
import { FakeBackend } from '../../fixtures/rpc/fakeBackend.ts'

const README = fileURLToPath(new URL('../../../rpc/README.md', import.meta.url))
const STATUSES = ['served', '-32601', 'not yet'] as const
type Row = { method: string; status: (typeof STATUSES)[number]; note: string; line: number }

/** Rows of every markdown table whose first column is a `method` in backticks. */
function parseTable(text: string): { rows: Row[]; problems: string[] } {
  const rows: Row[] = []
  const problems: string[] = []
  text.split('\n').forEach((raw, i) => {
    const m = /^\|\s*`([a-zA-Z0-9_]+)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|\s*$/.exec(raw)
    if (m === null) return
    const status = m[3]!.trim()
    if (!(STATUSES as readonly string[]).includes(status)) problems.push(`line ${i + 1}: ${m[1]}: unknown status ${JSON.stringify(status)}`)
    else rows.push({ method: m[1]!, status: status as Row['status'], note: m[4]!.trim(), line: i + 1 })
  })
  const seen = new Set<string>()
  for (const r of rows) {
    if (seen.has(r.method)) problems.push(`line ${r.line}: ${r.method} has two rows`)
    seen.add(r.method)
    if (r.status !== 'served' && r.note === '') problems.push(`line ${r.line}: ${r.method} is ${r.status} without a reason`)
  }
  return { rows, problems }
}

t.test('the parser reads rows and flags bad ones', async (t) => {
  const table = [
    '| method | spec | status | note |',
    '| --- | --- | --- | --- |',
    '| `eth_a` | eth/x | served | |',
    '| `eth_b` | eth/x | -32601 | why |',
    '| `eth_c` | eth/x | -32601 | |',
    '| `eth_a` | eth/x | served | |',
    '| `eth_d` | eth/x | maybe | |',
  ].join('\n')
  const { rows, problems } = parseTable(table)
  t.same(
    rows.map((r) => `${r.method}:${r.status}`),
    ['eth_a:served', 'eth_b:-32601', 'eth_c:-32601', 'eth_a:served'],
  )
  t.same(problems, ['line 7: eth_d: unknown status "maybe"', 'line 5: eth_c is -32601 without a reason', 'line 6: eth_a has two rows'])
})

const { rows, problems } = parseTable(readFileSync(README, 'utf8'))
const registered = new Map<string, RpcMethod>(allMethods.map((m) => [m.name, m]))

t.test('the table is well formed', async (t) => {
  t.ok(rows.length > 50, `${rows.length} rows`)
  t.same(problems, [], problems.join('\n'))
})

t.test('every served row is a registered method', async (t) => {
  for (const r of rows.filter((r) => r.status === 'served')) {
    // eth_simulateV1 is being written with the call-executor work (runtime/call) on another branch
    t.ok(registered.has(r.method), `${r.method} (README line ${r.line}) is in rpc/methods/index.ts`)
  }
})

t.test('every registered method has a row, marked served', async (t) => {
  const byMethod = new Map(rows.map((r) => [r.method, r]))
  for (const name of registered.keys()) t.equal(byMethod.get(name)?.status, 'served', `${name} has a served row`)
})

t.test('every -32601 row answers -32601 through the dispatcher', async (t) => {
  const backend = new FakeBackend()
  const filters = new FilterManager(backend)
  t.teardown(() => filters.close())
  const ctx = { ...portsOf(backend), limits: defaultRpcServerOptions.limits, filters, clientVersion: 'test', dev: true, log: pino({ level: 'silent' }) }
  const dispatcher = createDispatcher(registered, ctx)
  const refused = rows.filter((r) => r.status === '-32601')
  t.ok(refused.length > 0)
  for (const r of refused) {
    const answer = JSON.parse((await dispatcher.handle(JSON.stringify({ jsonrpc: '2.0', id: 1, method: r.method, params: [] }), undefined))!) as {
      error?: { code: number }
    }
    t.equal(answer.error?.code, -32601, `${r.method} (README line ${r.line})`)
  }
})
