/**
 * Our node end-to-end through JSON-RPC, measured like anvil (anvilRunner.ts): a fresh node
 * process per run (bench/node/nodeProcess.ts, fresh datadir, genesis = the bench spec), batches
 * of eth_sendRawTransaction, a block trigger, then batched receipts until all exist.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serializeChainSpec } from '../../genesis/index.ts'
import type { ChainSpec } from '../../genesis/index.ts'
import { stopChild, track } from '../../node/childProcesses.ts'
import { createRpcClient, waitForRpc } from './jsonRpcClient.ts'
import { runRpcWorkload } from './rpcWorkload.ts'
import type { RpcRunTimings } from './rpcWorkload.ts'
import type { Workload } from './workload.ts'

const here = dirname(fileURLToPath(import.meta.url))

/** How blocks get produced in the node process. */
export type NodeMineMode = 'automine' | 'mine'

async function startNode(datadir: string, specFile: string, crypto: 'fast' | 'noble', mode: NodeMineMode): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_NODE_PROFILE_DIR=<dir> writes a V8 CPU profile of every node process there
  const profileDir = process.env.BENCH_NODE_PROFILE_DIR
  const profile = profileDir === undefined || profileDir === '' ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]
  const child = track(
    spawn(process.execPath, [...profile, '--import', 'tsx', join(here, 'nodeProcess.ts'), datadir, specFile, crypto, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  )
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error('node process did not get ready in 60 s')), 60_000)
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const match = /READY (\S+)/.exec(out)
      if (match !== null) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`node process exited with ${code} before it was ready`))
    })
  })
  return { child, url }
}

/**
 * One fresh-node run of `workload` over JSON-RPC. mode 'mine': automine off, one evm_mine after
 * all sends (as anvil --no-mining); 'automine': blocks are built while later batches are still
 * arriving.
 */
export async function runNodeRpc(
  workload: Workload,
  spec: ChainSpec,
  opts: { crypto: 'fast' | 'noble'; mode: NodeMineMode; warmup?: Workload },
): Promise<RpcRunTimings> {
  const dir = await mkdtemp(join(tmpdir(), 'openledger-bench-rpc-'))
  try {
    const specFile = join(dir, 'genesis.json')
    await writeFile(specFile, JSON.stringify(serializeChainSpec(spec)))
    const { child, url } = await startNode(join(dir, 'data'), specFile, opts.crypto, opts.mode)
    try {
      const client = createRpcClient(url)
      await waitForRpc(client, 30_000)
      const mine = opts.mode === 'mine' ? async () => void (await client.call('evm_mine')) : async () => {}
      // a running node has a warm JIT: run a disjoint warm-up workload first, untimed
      if (opts.warmup !== undefined) await runRpcWorkload(client, opts.warmup, { sendBatch: 100, receiptBatch: 500, mine, timeoutMs: 120_000 })
      return await runRpcWorkload(client, workload, { sendBatch: 100, receiptBatch: 500, mine, timeoutMs: 120_000 })
    } finally {
      await stopChild(child, 10_000)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
