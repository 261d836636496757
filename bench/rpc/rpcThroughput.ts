/**
 * Budget served: wallet and dapp read load. Issue 8 targets, 50 keep-alive connections on
 * 127.0.0.1, anvil in the same run: eth_getBalance >= 1.0x anvil; eth_call balanceOf >= 0.5x
 * anvil (parity is the goal) with p99 under 10 ms; eth_estimateGas and eth_getLogs over a
 * 10,000-block range measured side by side.
 *
 * Runs our node (CLI, --dev) and anvil side by side in one run, deploys the same ERC-20 fixture
 * on both, then drives each with autocannon. The eth_call case runs twice: one holder (the same
 * request again and again: our node answers repeats at one head from its per-head call memo) and
 * distinct holders (every request different: each one executes), so both the memo and the EVM
 * are measured. Writes bench/results/rpc.json and prints a markdown table for bench/RESULTS.md.
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
import { AbiCoder, Interface, Wallet } from 'ethers'
import type { InterfaceAbi } from 'ethers'
import { stopChild } from '../../node/childProcesses.ts'
import { createAnvil } from '../../node/l1/index.ts'
import { TOKEN } from '../../test/fixtures/contracts/contracts.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const seconds = Number(process.argv[2] ?? 10)
const connections = Number(process.argv[3] ?? 50)
/** rounds per case; targets alternate within a round and the median is reported (noisy shared machine) */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const DEV_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const HOLDER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

type Target = { name: string; url: string; stop: () => Promise<void> }

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
  return {
    name: 'openledger',
    url: `http://127.0.0.1:${m[1]}`,
    stop: () => stopChild(child, 10_000).then(() => rmSync(datadir, { recursive: true, force: true })),
  }
}

async function startAnvil(): Promise<Target> {
  // not silent: anvil logs every request, as it did when this bench was first measured
  const anvil = await createAnvil({ chainId: 31337n, silent: false })
  return { name: 'anvil', url: anvil.url, stop: () => anvil.stop() }
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
  return { name: 'node:http (bare)', url: `http://127.0.0.1:${m[1]}`, stop: () => stopChild(child, 10_000) }
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

/** A bench case: the request bodies one target is driven with (a fixed body, or one per request). */
type Case = {
  name: string
  /** targets it runs on (the bare server only serves the constant case) */
  bare: boolean
  /** the body of every request, or of request `i` when the case varies them */
  body: (t: Target, i: number) => string
  varies: boolean
}

const iface = new Interface(['function balanceOf(address) view returns (uint256)', 'function transfer(address,uint256) returns (bool)'])
const holder = (i: number): string => '0x' + (0x10000000 + i).toString(16).padStart(40, '0')
const request = (method: string, params: unknown[]): string => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })

async function load(url: string, c: Case, t: Target, duration: number): Promise<{ rps: number; p99: number; errors: number; non2xx: number }> {
  let next = 0
  const result = await autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(c.varies
      ? // a fresh body per request, numbered across all connections, so no two requests are alike
        { requests: [{ setupRequest: (req: { body?: string }) => ({ ...req, body: c.body(t, next++) }) }] }
      : { body: c.body(t, 0) }),
  })
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx }
}

/**
 * A chain with logs for eth_getLogs: 10,000 blocks, every tenth with a token transfer (1,000
 * Transfer logs), made the same way on both targets: batches of one eth_sendRawTransaction (the
 * automine makes its block) and nine evm_mine.
 */
async function fillBlocks(url: string, token: string): Promise<{ from: string; to: string }> {
  const wallet = new Wallet(DEV_KEY)
  const chainId = BigInt((await rpc(url, 'eth_chainId', [])) as string)
  let nonce = Number(BigInt((await rpc(url, 'eth_getTransactionCount', [wallet.address, 'pending'])) as string))
  const start = BigInt((await rpc(url, 'eth_blockNumber', [])) as string)
  for (let i = 0; i < LOG_BLOCKS / 10; i++) {
    const raw = await wallet.signTransaction({
      type: 2,
      chainId,
      nonce: nonce++,
      to: token,
      data: iface.encodeFunctionData('transfer', [holder(i), 1n]),
      gasLimit: 100_000n,
      maxFeePerGas: 50n * 10n ** 9n,
      maxPriorityFeePerGas: 10n ** 9n,
    })
    const batch = [{ jsonrpc: '2.0', id: 0, method: 'eth_sendRawTransaction', params: [raw] }]
    for (let k = 1; k < 10; k++) batch.push({ jsonrpc: '2.0', id: k, method: 'evm_mine', params: [] })
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) })
    const answers = (await res.json()) as { error?: unknown }[]
    const failed = answers.find((a) => a.error !== undefined)
    if (failed !== undefined) throw new Error(`filling blocks: ${JSON.stringify(failed.error)}`)
  }
  // an evm_mine racing the automine may take the tx into its own block: top up to the count
  for (;;) {
    const made = BigInt((await rpc(url, 'eth_blockNumber', [])) as string) - start
    if (made >= BigInt(LOG_BLOCKS)) break
    const count = Math.min(100, LOG_BLOCKS - Number(made))
    const batch = Array.from({ length: count }, (_, k) => ({ jsonrpc: '2.0', id: k, method: 'evm_mine', params: [] }))
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) })
  }
  return { from: '0x' + (start + 1n).toString(16), to: '0x' + (start + BigInt(LOG_BLOCKS)).toString(16) }
}

/** Blocks in the eth_getLogs range (the node's default --rpc.logs.range). */
const LOG_BLOCKS = 10_000

const targets: Target[] = []
try {
  // BENCH_TARGETS=openledger skips anvil (profiling runs)
  const only = process.env.BENCH_TARGETS
  targets.push(await startOurs())
  if (only === undefined || only.includes('anvil')) targets.push(await startAnvil())
  const tokens = new Map<string, string>()
  const ranges = new Map<string, { from: string; to: string }>()
  const CASE_NAMES = [
    'rpc / eth_getBalance / latest',
    'rpc / eth_call / balanceOf, one holder',
    'rpc / eth_call / balanceOf, distinct holders',
    'rpc / eth_estimateGas / transfer, distinct recipients',
    'rpc / eth_getLogs / 10,000 blocks, 1,000 logs',
  ].filter((c) => process.env.BENCH_CASES === undefined || c.includes(process.env.BENCH_CASES))
  for (const t of targets) tokens.set(t.name, await deployToken(t.url))
  if (CASE_NAMES.some((c) => c.includes('eth_getLogs'))) {
    for (const t of targets) {
      const started = Date.now()
      ranges.set(t.name, await fillBlocks(t.url, tokens.get(t.name)!))
      process.stderr.write(`${t.name}: ${LOG_BLOCKS} blocks with logs in ${Date.now() - started} ms\n`)
    }
  }
  if (only === undefined || only.includes('bare')) targets.push(await startBare())
  const allCases: Case[] = [
    { name: 'rpc / eth_getBalance / latest', bare: true, varies: false, body: () => request('eth_getBalance', [HOLDER, 'latest']) },
    {
      name: 'rpc / eth_call / balanceOf, one holder',
      bare: false,
      varies: false,
      body: (t) => request('eth_call', [{ to: tokens.get(t.name), data: iface.encodeFunctionData('balanceOf', [HOLDER]) }, 'latest']),
    },
    {
      name: 'rpc / eth_call / balanceOf, distinct holders',
      bare: false,
      varies: true,
      body: (t, i) => request('eth_call', [{ to: tokens.get(t.name), data: iface.encodeFunctionData('balanceOf', [holder(i)]) }, 'latest']),
    },
    {
      name: 'rpc / eth_estimateGas / transfer, distinct recipients',
      bare: false,
      varies: true,
      body: (t, i) =>
        request('eth_estimateGas', [{ from: HOLDER, to: tokens.get(t.name), data: iface.encodeFunctionData('transfer', [holder(i), 1n]) }, 'latest']),
    },
    {
      name: 'rpc / eth_getLogs / 10,000 blocks, 1,000 logs',
      bare: false,
      varies: false,
      body: (t) => request('eth_getLogs', [{ fromBlock: ranges.get(t.name)?.from, toBlock: ranges.get(t.name)?.to, address: tokens.get(t.name) }]),
    },
  ]
  const cases = allCases.filter((c) => CASE_NAMES.includes(c.name))
  const rows: { case: string; target: string; rps: number; p99: number; errors: number; non2xx: number }[] = []
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  for (const c of cases) {
    const samples = new Map<string, { rps: number[]; p99: number[]; errors: number; non2xx: number }>()
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        if (t.name.startsWith('node:http') && !c.bare) continue
        if (round === 0) {
          // check the answer once, then warm up
          if (!t.name.startsWith('node:http')) {
            const probe = JSON.parse(c.body(t, 1_000_000)) as { method: string; params: unknown[] }
            const answer = await rpc(t.url, probe.method, probe.params)
            if (probe.method === 'eth_getLogs' && (answer as unknown[]).length !== LOG_BLOCKS / 10)
              throw new Error(`${t.name}: eth_getLogs found ${(answer as unknown[]).length} logs`)
          }
          await load(t.url, c, t, 2)
        }
        const r = await load(t.url, c, t, seconds)
        const s = samples.get(t.name) ?? { rps: [], p99: [], errors: 0, non2xx: 0 }
        s.rps.push(r.rps)
        s.p99.push(r.p99)
        s.errors += r.errors
        s.non2xx += r.non2xx
        samples.set(t.name, s)
        process.stderr.write(`${c.name} ${t.name} round ${round}: ${Math.round(r.rps)} req/s p99 ${r.p99} ms errors ${r.errors} non2xx ${r.non2xx}\n`)
      }
    }
    for (const [target, s] of samples) {
      rows.push({ case: c.name, target, rps: median(s.rps), p99: median(s.p99), errors: s.errors, non2xx: s.non2xx })
    }
  }
  const bare = rows.find((r) => r.target.startsWith('node:http'))
  const lines: string[] =
    targets.filter((t) => !t.name.startsWith('node:http')).length < 2
      ? []
      : [
          `| case | openledger req/s | anvil req/s | ratio | p99 ms (ours / anvil) |`,
          `| --- | ---: | ---: | ---: | --- |`,
          ...(bare === undefined ? [] : [`| rpc / node:http bare (ceiling) | ${Math.round(bare.rps)} | | | ${bare.p99} |`]),
          ...cases.map((c) => {
            const o = rows.find((r) => r.case === c.name && r.target === 'openledger')!
            const a = rows.find((r) => r.case === c.name && r.target === 'anvil')!
            return `| ${c.name} | ${Math.round(o.rps)} | ${Math.round(a.rps)} | ${(o.rps / a.rps).toFixed(2)} | ${o.p99} / ${a.p99} |`
          }),
        ]
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true })
  writeFileSync(join(ROOT, 'bench/results/rpc.json'), JSON.stringify({ seconds, connections, rounds: ROUNDS, rows }, null, 2) + '\n')
  process.stdout.write(lines.join('\n') + '\n')
} finally {
  for (const t of targets) await t.stop()
}
