// End-to-end: the `openledger` bin as a user runs it, spoken to over JSON-RPC only.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Test } from 'tap'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = join(ROOT, 'node/cli/openledger.js')
// start-up compiles TypeScript through tsx and opens LevelDB; on a loaded 2-core machine that can take a while
const START_DEADLINE_MS = 90_000

type Run = { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> }

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OPENLEDGER_')) env[k] = v
  return { ...env, ...extra }
}

function start(t: Test, args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr!.on('data', (d: Buffer) => { err += d.toString() })
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exit
    }
  })
  return { child, out: () => out, err: () => err, exit }
}

async function runToEnd(t: Test, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const run = start(t, args, env)
  const code = await run.exit
  return { code, out: run.out(), err: run.err() }
}

async function waitFor<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + deadlineMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The RPC URL from the JSON "node started" log line. */
function rpcUrlOf(run: Run): string | undefined {
  for (const line of run.out().split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const entry = JSON.parse(line) as { msg?: string; rpc?: string }
      if (entry.msg === 'node started' && typeof entry.rpc === 'string') return entry.rpc
    } catch {
      // a partial line: read it on the next poll
    }
  }
  return undefined
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error !== undefined) throw new Error(body.error.message)
  return body.result
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'openledger-e2e-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** SIGINT and expect a clean exit 0. */
async function stopCleanly(t: Test, run: Run): Promise<void> {
  run.child.kill('SIGINT')
  const code = await run.exit
  t.equal(code, 0, `exit code 0 after SIGINT (stderr: ${run.err().slice(-500)})`)
  t.match(run.out(), 'shutdown complete')
}

t.test('--version and --help', async (t) => {
  const v = await runToEnd(t, ['--version'])
  t.equal(v.code, 0)
  t.match(v.out, /^openledger \d+\.\d+\.\d+/)
  const h = await runToEnd(t, ['--help'])
  t.equal(h.code, 0)
  t.match(h.out, '--rpc.port')
  t.match(h.out, 'OPENLEDGER_RPC_PORT')
})

t.test('an invalid flag or env var fails fast, naming it', async (t) => {
  const bad = await runToEnd(t, ['node', '--rpc.prot', '8545'])
  t.equal(bad.code, 2)
  t.match(bad.err, '--rpc.prot')
  const range = await runToEnd(t, ['node', '--rpc.port', '99999'])
  t.equal(range.code, 2)
  t.match(range.err, '--rpc.port')
  const env = await runToEnd(t, ['node', '--dev'], { OPENLEDGER_BLOCK_TIME: 'soon' })
  t.equal(env.code, 2)
  t.match(env.err, 'OPENLEDGER_BLOCK_TIME')
})

t.test('init, then node on the datadir: RPC answers, SIGINT exits 0; flags beat env', async (t) => {
  const datadir = tempDir(t)
  const init = await runToEnd(t, ['init', '--datadir', datadir, '--genesis', 'devnet'])
  t.equal(init.code, 0, init.err)
  t.match(init.out, 'initialised')
  t.match(init.out, 'chainId 1337')

  // env says port 1 (would fail to bind), the flag says 0: the flag wins
  const node = start(t, ['node', '--datadir', datadir, '--rpc.port', '0', '--log.format', 'json'], { OPENLEDGER_RPC_PORT: '1' })
  const url = await waitFor('node started', START_DEADLINE_MS, () => rpcUrlOf(node))
  t.not(url, 'http://127.0.0.1:1')
  t.equal(await waitFor('eth_chainId', START_DEADLINE_MS, () => rpc(url, 'eth_chainId').catch(() => undefined)), '0x539')
  t.equal(await rpc(url, 'eth_blockNumber'), '0x0', 'not the sequencer: no blocks')
  await stopCleanly(t, node)

  const other = await runToEnd(t, ['node', '--datadir', datadir, '--genesis', 'mainnet'])
  t.equal(other.code, 2, 'a datadir of another chain is refused')
  t.match(other.err, 'different chain')
})

t.test('env beats the config file', async (t) => {
  const dir = tempDir(t)
  const port = await freePort()
  const config = join(dir, 'config.json')
  writeFileSync(config, JSON.stringify({ rpc: { port: 1 }, 'log.format': 'json' }))
  const node = start(t, ['node', '--dev', '--datadir', join(dir, 'data'), '--config', config], { OPENLEDGER_RPC_PORT: String(port) })
  const url = await waitFor('node started', START_DEADLINE_MS, () => rpcUrlOf(node))
  t.equal(url, `http://127.0.0.1:${port}`)
  await stopCleanly(t, node)
})

t.test('--dev prints the dev accounts and keys and produces blocks', async (t) => {
  const dir = tempDir(t)
  const node = start(t, ['node', '--dev', '--datadir', dir, '--rpc.port', '0', '--log.format', 'json'])
  const url = await waitFor('node started', START_DEADLINE_MS, () => rpcUrlOf(node))
  const out = node.out()
  t.match(out, 'Available Accounts')
  for (const account of DEV_ACCOUNTS) {
    t.ok(out.includes(account.address), `prints account ${account.index}`)
    t.ok(out.includes(account.privateKey), `prints key ${account.index}`)
  }
  t.equal(await rpc(url, 'eth_getBalance', [DEV_ACCOUNTS[3]!.address, 'latest']), '0x21e19e0c9bab2400000', '10,000 OPEN')
  const height = await waitFor('a produced block', START_DEADLINE_MS, async () => {
    const n = BigInt((await rpc(url, 'eth_blockNumber')) as string)
    return n > 0n ? n : undefined
  })
  t.ok(height > 0n, 'blocks every block time')
  const metrics = await (await fetch(`${url}/metrics`)).text()
  t.match(metrics, /openledger_chain_head_number \d+/)
  await stopCleanly(t, node)
})
