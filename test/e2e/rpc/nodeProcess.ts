import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BIN = join(ROOT, 'node/cli/openledger.js')

/** A `openledger node --dev` child process on a free port, in a temp datadir. */
export type DevNode = {
  url: string
  wsUrl: string
  child: ChildProcess
  /** log lines so far (for failure messages) */
  output(): string
  stop(): Promise<void>
}

/**
 * Spawn the node CLI with --dev on port 0 and wait (deadline 30 s) for its "rpc server listening"
 * log line. `stop()` sends SIGTERM, waits for exit (SIGKILL after 10 s) and removes the datadir.
 */
export async function startDevNode(extraArgs: string[] = []): Promise<DevNode> {
  const datadir = mkdtempSync(join(tmpdir(), 'ol-rpc-e2e-'))
  const child = spawn(
    process.execPath,
    [BIN, 'node', '--dev', '--rpc.port', '0', '--datadir', datadir, '--log.format', 'json', '--log.level', 'info', ...extraArgs],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start in 30 s:\n${out}`)), 30_000)
    const onData = (chunk: Buffer): void => {
      out += chunk.toString()
      const m = /"name":"rpc:server"[^\n]*"port":(\d+)/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`node exited with ${code}:\n${out}`))
    })
  })
  child.removeAllListeners('exit')
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
        child.kill('SIGTERM')
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(killer)
      }
      rmSync(datadir, { recursive: true, force: true })
    },
  }
}
