/**
 * An `openledger node` child process for the p2p and sync benchmarks: the real bin, JSON logs
 * collected line by line (pino's millisecond `time` on one machine's clock is what the benches
 * time with), its RPC URL and p2p multiaddrs from the "node started" line.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { track } from '../../node/childProcesses.ts'

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../node/cli/openledger.js')

/** The fields of a node log line the benches read. */
export type LogLine = { msg?: string; time?: number; number?: number | string; txs?: number; rpc?: string; p2p?: string[] }
/** A started node child. */
export type NodeChild = { child: ChildProcess; lines: LogLine[]; url: string; p2p: string[] }

/** Start `openledger node ...args` and wait for its "node started" line. */
export async function startNodeChild(args: string[], env: Record<string, string>): Promise<NodeChild> {
  const child = track(spawn(process.execPath, [BIN, 'node', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } }))
  const lines: LogLine[] = []
  let partial = ''
  const started = new Promise<LogLine>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('node did not start in 90 s')), 90_000)
    child.stdout!.on('data', (d: Buffer) => {
      const text = partial + d.toString()
      const parts = text.split('\n')
      partial = parts.pop() ?? ''
      for (const part of parts) {
        if (!part.startsWith('{')) continue
        const line = JSON.parse(part) as LogLine
        lines.push(line)
        if (line.msg === 'node started') {
          clearTimeout(timer)
          resolve(line)
        }
      }
    })
    child.once('exit', (code) => reject(new Error(`node exited with ${code} before it started`)))
  })
  const line = await started
  return { child, lines, url: line.rpc!, p2p: line.p2p ?? [] }
}

/** Wall-clock ms of the first `msg` line for each block number. */
export function timesOf(lines: readonly LogLine[], msg: string): Map<number, number> {
  const out = new Map<number, number>()
  for (const l of lines) if (l.msg === msg && l.number !== undefined && l.time !== undefined && !out.has(Number(l.number))) out.set(Number(l.number), l.time)
  return out
}
