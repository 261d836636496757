/**
 * Budget served: wallet and dapp read load. Issue 3 target: "rpc / eth_getBalance" at latest
 * reaches >= 0.8 of anvil's request rate with 50 keep-alive connections on 127.0.0.1
 * (anvil ~38-40k req/s here, a bare node:http server ~30-35k).
 *
 * Runs our node (CLI, --dev) and anvil side by side in one run, deploys the same ERC-20 fixture
 * on both, then drives each with autocannon: eth_getBalance(latest) and eth_call(balanceOf).
 * Writes bench/results/rpc.json and prints a markdown table for bench/RESULTS.md.
 *
 * Usage: node --import tsx bench/rpc/rpcThroughput.ts [seconds=10] [connections=50]
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
// autocannon ships no types
// @ts-expect-error no declaration file
import autocannon from 'autocannon'
import { AbiCoder, Interface, Wallet, keccak256 } from 'ethers'
import type { InterfaceAbi } from 'ethers'
import { TOKEN } from '../../test/fixtures/contracts/contracts.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const seconds = Number(process.argv[2] ?? 10)
const connections = Number(process.argv[3] ?? 50)
/** rounds per case; targets alternate within a round and the median is reported (noisy shared machine) */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const HOLDER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

type Target = { name: string; url: string; child: ChildProcess; cleanup: () => void }

/** Extra node flags for our node (e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"). */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0)

function waitForLine(child: ChildProcess, re: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), 60_000)
    const on = (c: Buffer): void => {
      out += c.toString()
      const m = re.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        child.stdout!.off('data', on)
        child.stdout!.resume()
        resolve(m)
      }
    }
    child.stdout!.on('data', on)
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString()
    })
    child.once('exit', (code) => reject(new Error(`${what} exited ${code}:\n${out}`)))
  })
}

async function startOurs(): Promise<Target> {
  const datadir = mkdtempSync(join(tmpdir(), 'ol-bench-rpc-'))
  const child = spawn(
    process.execPath,
    [
      ...NODE_ARGS,
      join(ROOT, 'node/cli/openledger.js'),
      'node',
      '--dev',
      '--rpc.port',
      '0',
      '--datadir',
      datadir,
      '--log.format',
      'json',
      ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((a) => a.length > 0),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const m = await waitForLine(child, /"name":"rpc:server"[^\n]*"port":(\d+)/, 'openledger')
  return { name: 'openledger', url: `http://127.0.0.1:${m[1]}`, child, cleanup: () => rmSync(datadir, { recursive: true, force: true }) }
}

async function startAnvil(): Promise<Target> {
  const bin = join(ROOT, `node_modules/@foundry-rs/anvil-linux-${process.arch === 'arm64' ? 'arm64' : 'amd64'}/bin/anvil`)
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const child = spawn(bin, ['--port', String(port), '--chain-id', '31337'], { stdio: ['ignore', 'pipe', 'pipe'] })
  await waitForLine(child, /Listening on/, 'anvil')
  return { name: 'anvil', url: `http://127.0.0.1:${port}`, child, cleanup: () => {} }
}

/**
 * The ceiling for any node:http JSON-RPC server on this machine: reads the body, answers a
 * constant JSON-RPC result (no parsing, no state).
 */
async function startBare(): Promise<Target> {
  const src =
    "const s=require('node:http').createServer((q,r)=>{let b='';q.on('data',c=>b+=c);q.on('end',()=>{r.writeHead(200,{'content-type':'application/json'});" +
    'r.end(\'{"jsonrpc":"2.0","id":1,"result":"0x0"}\')})});s.listen(0,\'127.0.0.1\',()=>console.log(\'PORT \'+s.address().port))'
  const child = spawn(process.execPath, ['-e', src], { stdio: ['ignore', 'pipe', 'pipe'] })
  const m = await waitForLine(child, /PORT (\d+)/, 'bare node:http')
  return { name: 'node:http (bare)', url: `http://127.0.0.1:${m[1]}`, child, cleanup: () => {} }
}

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: unknown; error?: unknown }
  if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`)
  return body.result
}

/** Deploy the fixture ERC-20 from dev account 0 and give HOLDER a balance; returns the token address. */
async function deployToken(url: string): Promise<string> {
  const wallet = new Wallet(DEV_KEY)
  const chainId = BigInt((await rpc(url, 'eth_chainId', [])) as string)
  const send = async (to: string | undefined, data: string): Promise<string> => {
    const nonce = BigInt((await rpc(url, 'eth_getTransactionCount', [wallet.address, 'pending'])) as string)
    const raw = await wallet.signTransaction({
      type: 2,
      chainId,
      nonce: Number(nonce),
      to,
      data,
      gasLimit: 3_000_000n,
      maxFeePerGas: 50n * 10n ** 9n,
      maxPriorityFeePerGas: 10n ** 9n,
    })
    const hash = (await rpc(url, 'eth_sendRawTransaction', [raw])) as string
    const deadline = Date.now() + 30_000
    for (;;) {
      const r = (await rpc(url, 'eth_getTransactionReceipt', [hash])) as { contractAddress: string | null; status: string } | null
      if (r !== null) {
        if (r.status !== '0x1') throw new Error('bench tx failed')
        return r.contractAddress ?? ''
      }
      if (Date.now() > deadline) throw new Error('bench tx not mined')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  const ctor = AbiCoder.defaultAbiCoder()
    .encode(['string', 'string', 'uint256'], ['Bench', 'BEN', 10n ** 24n])
    .slice(2)
  const token = await send(undefined, TOKEN.bytecode + ctor)
  const iface = new Interface(TOKEN.abi as InterfaceAbi)
  await send(token, iface.encodeFunctionData('transfer', [HOLDER, 12345n]))
  return token
}

type Case = { name: string; body: string }

async function load(url: string, c: Case, duration: number): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  const result = await autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: c.body,
  })
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx }
}

const targets: Target[] = []
try {
  // BENCH_TARGETS=openledger skips anvil (profiling runs)
  const only = process.env.BENCH_TARGETS
  targets.push(await startOurs())
  if (only === undefined || only.includes('anvil')) targets.push(await startAnvil())
  const tokens = new Map<string, string>()
  for (const t of targets) tokens.set(t.name, await deployToken(t.url))
  if (only === undefined || only.includes('bare')) targets.push(await startBare())
  const selector = keccak256(new TextEncoder().encode('balanceOf(address)')).slice(0, 10)
  const callData = selector + HOLDER.slice(2).toLowerCase().padStart(64, '0')
  const rows: { case: string; target: string; rps: number; p99: number; errors: number; non2xx: number }[] = []
  const CASES = ['rpc / eth_getBalance / latest', 'rpc / eth_call / balanceOf'].filter(
    (c) => process.env.BENCH_CASES === undefined || c.includes(process.env.BENCH_CASES),
  )
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  for (const caseName of CASES) {
    const samples = new Map<string, { rps: number[]; p99: number[]; errors: number; non2xx: number }>()
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        if (t.name.startsWith('node:http') && !caseName.includes('getBalance')) continue
        const body = caseName.includes('getBalance')
          ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params: [HOLDER, 'latest'] })
          : JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to: tokens.get(t.name), data: callData }, 'latest'] })
        if (round === 0) {
          // check the answer once, then warm up
          if (!t.name.startsWith('node:http')) await rpc(t.url, JSON.parse(body).method, JSON.parse(body).params)
          await load(t.url, { name: caseName, body }, 2)
        }
        const r = await load(t.url, { name: caseName, body }, seconds)
        const s = samples.get(t.name) ?? { rps: [], p99: [], errors: 0, non2xx: 0 }
        s.rps.push(r.rps)
        s.p99.push(r.p99)
        s.errors += r.errors
        s.non2xx += r.non2xx
        samples.set(t.name, s)
        process.stderr.write(`${caseName} ${t.name} round ${round}: ${Math.round(r.rps)} req/s p99 ${r.p99} ms errors ${r.errors} non2xx ${r.non2xx}\n`)
      }
    }
    for (const [target, s] of samples) {
      rows.push({ case: caseName, target, rps: median(s.rps), p99: median(s.p99), errors: s.errors, non2xx: s.non2xx })
    }
  }
  const ratio = (c: string): number =>
    rows.find((r) => r.case === c && r.target === 'openledger')!.rps / rows.find((r) => r.case === c && r.target === 'anvil')!.rps
  const bare = rows.find((r) => r.target.startsWith('node:http'))
  const lines: string[] =
    targets.length < 2
      ? []
      : [
          `| case | openledger req/s | anvil req/s | ratio | p99 ms (ours / anvil) |`,
          `| --- | ---: | ---: | ---: | --- |`,
          ...(bare === undefined ? [] : [`| rpc / node:http bare (ceiling) | ${Math.round(bare.rps)} | | | ${bare.p99} |`]),
          ...CASES.map((c) => {
            const o = rows.find((r) => r.case === c && r.target === 'openledger')!
            const a = rows.find((r) => r.case === c && r.target === 'anvil')!
            return `| ${c} | ${Math.round(o.rps)} | ${Math.round(a.rps)} | ${ratio(c).toFixed(2)} | ${o.p99} / ${a.p99} |`
          }),
        ]
  if (targets.length < 2) lines.length = 0
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
  writeFileSync(join(ROOT, 'bench/results/rpc.json'), JSON.stringify({ seconds, connections, rounds: ROUNDS, rows }, null, 2) + '\n')
  process.stdout.write(lines.join('\n') + '\n')
} finally {
  for (const t of targets) {
    if (t.child.exitCode === null && t.child.signalCode === null) {
      const exited = new Promise((resolve) => t.child.once('exit', resolve))
      t.child.kill('SIGTERM')
      await exited
    }
    t.cleanup()
  }
}
