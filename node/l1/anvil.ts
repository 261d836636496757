import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { stopChild, track } from '../childProcesses.ts'

/** Options of {@link createAnvil}. */
export type AnvilOptions = {
  chainId: bigint
  /** seconds between blocks; undefined = automine (one block per tx) unless `noMining` */
  blockTime: number | undefined
  /** mine only on evm_mine (anvil --no-mining) */
  noMining: boolean
  /** dev accounts derived from `mnemonic` */
  accounts: number
  mnemonic: string
  /** block gas limit; undefined = anvil's (30M) */
  gasLimit: bigint | undefined
  /** anvil --hardfork; undefined = anvil's default ("latest") */
  hardfork: string | undefined
  /** 127.0.0.1 port; 0 = one the OS picks */
  port: number
  /** anvil --state: load the chain from this file if it exists, dump it there on stop (a restart continues the chain) */
  statePath: string | undefined
  /** false keeps anvil's per-request log lines (written to /dev/null), as a bench measured it before */
  silent: boolean
  /** give up when anvil does not answer JSON-RPC within this many ms */
  startTimeoutMs: number
  /** further anvil arguments, appended as given */
  extraArgs: string[]
}

/** Defaults of {@link AnvilOptions}: chain 900 (the OP devnet L1), automine, anvil's 10 dev accounts. */
export const defaultAnvilOptions: AnvilOptions = {
  chainId: 900n,
  blockTime: undefined,
  noMining: false,
  accounts: 10,
  // the public dev mnemonic (genesis DEV_MNEMONIC); anvil's own default
  mnemonic: 'test test test test test test test test test test test junk',
  gasLimit: undefined,
  hardfork: undefined,
  port: 0,
  statePath: undefined,
  silent: true,
  startTimeoutMs: 30_000,
  extraArgs: [],
}

/** A running anvil child process. */
export type Anvil = {
  /** http://127.0.0.1:<port> */
  readonly url: string
  readonly port: number
  readonly chainId: bigint
  /** SIGTERM (anvil dumps `statePath`), SIGKILL after `graceMs`; resolves once it has exited */
  stop(graceMs?: number): Promise<void>
}

/** Path of the anvil binary of the @foundry-rs/anvil-linux-<arch> optional dependency. */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url)
  const pkg = require.resolve(`@foundry-rs/anvil-linux-${process.arch === 'arm64' ? 'arm64' : 'amd64'}/package.json`)
  const bin = join(dirname(pkg), 'bin', 'anvil')
  if (!existsSync(bin)) throw new Error(`anvil binary missing at ${bin}`)
  return bin
}

/** First line of `anvil --version`. */
export async function anvilVersion(): Promise<string> {
  const child = spawn(anvilBinary(), ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  await new Promise((resolve) => child.once('exit', resolve))
  return out.trim().split('\n')[0] ?? 'anvil (unknown version)'
}

/**
 * Start anvil on 127.0.0.1 and resolve once it answers JSON-RPC. The port is the OS's choice
 * (a port-0 listener's, released just before anvil binds it; anvil has no way to report a port it
 * chose itself when --silent, so a lost race is retried on a fresh port). The child is killed when
 * this process exits, whatever the caller forgot.
 *
 * @example
 * const anvil = await createAnvil({ chainId: 900n })
 * try { ... fetch(anvil.url ...) } finally { await anvil.stop() }
 */
export async function createAnvil(options: Partial<AnvilOptions> = {}): Promise<Anvil> {
  const opts = { ...defaultAnvilOptions, ...options }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65_535) throw new Error(`anvil: port ${opts.port} is not a TCP port`)
  if (opts.blockTime !== undefined && opts.noMining) throw new Error('anvil: blockTime and noMining exclude each other')
  const attempts = opts.port === 0 ? 3 : 1
  let lastError: Error | undefined
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = opts.port === 0 ? await freePort() : opts.port
    try {
      return await start(opts, port)
    } catch (err) {
      lastError = err as Error
    }
  }
  throw lastError!
}

async function start(opts: AnvilOptions, port: number): Promise<Anvil> {
  const args = [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    opts.chainId.toString(),
    '--accounts',
    String(opts.accounts),
    '--mnemonic',
    opts.mnemonic,
  ]
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime))
  if (opts.noMining) args.push('--no-mining')
  if (opts.gasLimit !== undefined) args.push('--gas-limit', opts.gasLimit.toString())
  if (opts.hardfork !== undefined) args.push('--hardfork', opts.hardfork)
  // dumped every second too, not only on a clean exit: a node killed with -9 keeps its L1
  if (opts.statePath !== undefined) args.push('--state', opts.statePath, '--state-interval', '1')
  if (opts.silent) args.push('--silent')
  args.push(...opts.extraArgs)
  // anvil runs under a watchdog shell in its own process group: a Ctrl-C at the terminal reaches
  // this process only (which stops anvil last, after what still talks to it), and when this
  // process dies in any way (kill -9 included) the watchdog's stdin pipe closes and it stops anvil
  const child = track(spawn('/bin/sh', ['-c', WATCHDOG, anvilBinary(), ...args], { stdio: ['pipe', 'ignore', 'pipe'], detached: true }))
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000)
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + opts.startTimeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`anvil exited (${child.exitCode ?? child.signalCode}) before answering on ${url}: ${stderr.trim()}`)
    if (await answers(url)) break
    if (Date.now() > deadline) {
      await stopChild(child, 1_000)
      throw new Error(`anvil did not answer on ${url} within ${opts.startTimeoutMs} ms: ${stderr.trim()}`)
    }
    // anvil binds within ~100 ms here; a short poll keeps test start-up fast
    await sleep(20)
  }
  return {
    url,
    port,
    chainId: opts.chainId,
    stop: (graceMs = 5_000) => stopChild(child, graceMs),
  }
}

// $0 = anvil, "$@" = its arguments; fd 3 keeps the parent's stdin pipe for the background reader
// (an asynchronous list's own stdin is /dev/null); TERM/INT are passed on to anvil, which dumps its state
const WATCHDOG = [
  'exec 3<&0',
  '"$0" "$@" </dev/null & pid=$!',
  "trap 'kill -TERM $pid 2>/dev/null' TERM INT",
  '{ cat <&3 >/dev/null; kill -TERM $pid 2>/dev/null; } &',
  'wait $pid',
  'wait $pid',
].join('\n')

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}',
      signal: AbortSignal.timeout(1_000),
    })
    return res.ok
  } catch {
    return false
  }
}

/** A 127.0.0.1 port the OS has just handed out (listen on 0, read it, close). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
