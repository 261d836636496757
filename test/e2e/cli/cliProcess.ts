// Helpers of the CLI end-to-end suites: spawn the `openledger` bin as a user would, read its
// output, talk JSON-RPC to it. Every child is killed in the test's teardown.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { Server } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { poll } from '../../fixtures/poll.ts'

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
/** The `openledger` bin (package.json "bin"). */
export const BIN = join(ROOT, 'node/cli/openledger.js')
/** Start-up compiles TypeScript through tsx and opens LevelDB; on a loaded 2-core machine that can take a while. */
export const START_DEADLINE_MS = 90_000
/** How often the suites poll a child (its output or JSON-RPC): tighter only loads the machine. */
export const POLL_MS = 100

/** A running (or finished) CLI child. */
export type Run = { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> }

/**
 * process.env without OPENLEDGER_* (so the developer's shell cannot change a test), plus `extra`.
 * p2p listens on 127.0.0.1, any free port, unless `extra` or a flag says otherwise: suites run in
 * parallel and the default port (9222) can be bound once.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OPENLEDGER_')) env[k] = v
  return { ...env, OPENLEDGER_P2P_ADDR: '127.0.0.1', OPENLEDGER_P2P_PORT: '0', ...extra }
}

/** Spawn `node <BIN> ...args` (or another command) and collect its output; killed at teardown. */
export function start(t: Test, args: string[], env: Record<string, string> = {}, options: { cwd?: string; command?: string[] } = {}): Run {
  const [file, ...pre] = options.command ?? [process.execPath, BIN]
  const child = spawn(file!, [...pre, ...args], { cwd: options.cwd ?? ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString()
  })
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString()
  })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exit
    }
  })
  return { child, out: () => out, err: () => err, exit }
}

/** Run to completion: exit code and output. */
export async function runToEnd(
  t: Test,
  args: string[],
  env: Record<string, string> = {},
  options: { cwd?: string; command?: string[] } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const run = start(t, args, env, options)
  const code = await run.exit
  return { code, out: run.out(), err: run.err() }
}

/** The JSON log lines of a run's stdout so far (a partial last line is skipped). */
export function logLines(run: Run): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const line of run.out().split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      out.push(JSON.parse(line) as Record<string, unknown>)
    } catch {
      // a partial line: read it on the next poll
    }
  }
  return out
}

/** The RPC URL from the JSON "node started" log line. */
export function rpcUrlOf(run: Run): string | undefined {
  const started = logLines(run).find((entry) => entry.msg === 'node started' && typeof entry.rpc === 'string')
  return started?.rpc as string | undefined
}

/** The RPC URL of a node child once its "node started" line is out; rejects at once if it exits first. */
export function startedUrl(run: Run, what = 'node started'): Promise<string> {
  return poll(
    () => {
      if (run.child.exitCode !== null) throw new Error(`node exited with ${run.child.exitCode}: ${run.err()}`)
      return rpcUrlOf(run)
    },
    { timeoutMs: START_DEADLINE_MS, intervalMs: POLL_MS, what },
  )
}

/** Start a node child and wait for its "node started" line; returns the run and its RPC URL. */
export async function startNode(t: Test, args: string[], env: Record<string, string> = {}, options: { cwd?: string } = {}): Promise<{ run: Run; url: string }> {
  const run = start(t, args, env, options)
  return { run, url: await startedUrl(run, `node started (${args.join(' ')})`) }
}

/** A JSON-RPC error answer. */
export class RpcCallError extends Error {
  readonly code: number
  constructor(code: number, message: string) {
    super(message)
    this.code = code
  }
}

/** One JSON-RPC call over HTTP; throws RpcCallError on an error answer. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } }
  if (body.error !== undefined) throw new RpcCallError(body.error.code, body.error.message)
  return body.result
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

/** Whether `port` can be bound on 127.0.0.1 right now (the probe is released at once). */
export async function isPortFree(port: number): Promise<boolean> {
  const server = createServer()
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => resolve(true))
  })
  if (free) await new Promise<void>((r) => server.close(() => r()))
  return free
}

/** Hold a port on 127.0.0.1 (0 = any) until the test ends; returns the bound port. */
export async function occupyPort(t: Test, port = 0): Promise<number> {
  const server: Server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  return (server.address() as { port: number }).port
}

/** A fresh temp directory, removed when the test ends. */
export function tempDir(t: Test, prefix = 'openledger-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** SIGINT and expect a clean exit 0. */
export async function stopCleanly(t: Test, run: Run): Promise<void> {
  run.child.kill('SIGINT')
  const code = await run.exit
  t.equal(code, 0, `exit code 0 after SIGINT (stderr: ${run.err().slice(-500)})`)
  t.match(run.out(), 'shutdown complete')
}
