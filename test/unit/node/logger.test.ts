import t from 'tap'
import { childLogger, createLogger } from '../../../node/logger.ts'

function capture(): { lines: string[]; destination: { write(s: string): void } } {
  const lines: string[] = []
  return {
    lines,
    destination: {
      write: (s: string) => {
        lines.push(s)
      },
    },
  }
}

t.test('json: child loggers carry their path name; bigints and bytes are loggable', async (t) => {
  const out = capture()
  const root = createLogger({ level: 'info', format: 'json', destination: out.destination })
  childLogger(root, 'node:chain').info({ number: 12n, hash: new Uint8Array([0xab, 0xcd]) }, 'block imported')
  childLogger(root, 'rpc:http').debug({ x: 1 }, 'filtered out at info')
  t.equal(out.lines.length, 1)
  const entry = JSON.parse(out.lines[0]!)
  t.equal(entry.name, 'node:chain')
  t.equal(entry.msg, 'block imported')
  t.equal(entry.number, '12')
  t.equal(entry.hash, '0xabcd')
  t.equal(entry.level, 30)
})

t.test('text: one readable line per entry', async (t) => {
  const out = capture()
  const root = createLogger({ level: 'debug', format: 'text', destination: out.destination })
  childLogger(root, 'rpc:http').debug({ method: 'eth_chainId' }, 'request')
  t.match(out.lines[0]!, /^\d\d:\d\d:\d\d\.\d{3} DEBUG rpc:http: request method=eth_chainId\n$/)
})

t.test('silent logs nothing', async (t) => {
  const out = capture()
  createLogger({ level: 'silent', format: 'json', destination: out.destination }).error('x')
  t.equal(out.lines.length, 0)
})
