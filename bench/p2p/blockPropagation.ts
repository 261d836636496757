/**
 * p2p / block propagation: sequencer -> validator latency over libp2p gossip, verification
 * included, at 1 s blocks of 500 ETH transfers (issue 9: p50 < 50 ms plus the re-execution time).
 *
 * Two `openledger node` processes on 127.0.0.1 (the real bin, fresh datadirs, the bench spec:
 * devnet + 1 Ggas + the workload's senders): the sequencer (--block.time 1, automine off) and a
 * validator booting from it. A driver submits 500 pre-signed transfers (JSON-RPC batches of 100)
 * right after each block, so every block carries 500 txs. Both nodes log at debug level (pino
 * JSON, millisecond `time`): latency of block n = the validator's "block imported" time minus the
 * sequencer's "block built" time (the same wall clock: one machine). It spans publish, gossip
 * (noise, yamux, gossipsub), seal check, decode, sender recovery, re-execution, root checks and the
 * commit. The validator's re-execution + commit alone is its "block received" -> "block imported"
 * interval; propagation = latency minus that.
 *
 * Run: npm run bench:p2p  (env: BENCH_BLOCKS=30, BENCH_TXS_PER_BLOCK=500)
 * Results: bench/results/p2p-block-propagation.json
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bytesToHex } from '@ethereumjs/util'
import { DEV_ACCOUNTS, serializeChainSpec } from '../../genesis/index.ts'
import { stopChild } from '../../node/childProcesses.ts'
import { benchChainSpec } from '../node/benchSpec.ts'
import { createRpcClient } from '../node/jsonRpcClient.ts'
import { makeWorkload } from '../node/workload.ts'
import { startNodeChild, timesOf } from './nodeChild.ts'
import type { NodeChild } from './nodeChild.ts'

const here = dirname(fileURLToPath(import.meta.url))
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? '30')
const TXS_PER_BLOCK = Number(process.env.BENCH_TXS_PER_BLOCK ?? '500')
const BATCH = 100

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function main(): Promise<void> {
  const workload = makeWorkload('eth', { chainId: 1337n, txs: BLOCKS * TXS_PER_BLOCK, senders: Math.max(1, Math.ceil((BLOCKS * TXS_PER_BLOCK) / 32)) })
  const spec = { ...benchChainSpec(workload), blockTime: 1 }
  const dir = await mkdtemp(join(tmpdir(), 'openledger-bench-p2p-'))
  const specFile = join(dir, 'spec.json')
  await writeFile(specFile, JSON.stringify(serializeChainSpec(spec)))
  const sequencerKey = DEV_ACCOUNTS.find((a) => a.address.toLowerCase() === spec.sequencer)!.privateKey
  const common = [
    '--genesis',
    specFile,
    '--rpc.port',
    '0',
    '--p2p.addr',
    '127.0.0.1',
    '--p2p.port',
    '0',
    '--log.level',
    'debug',
    '--log.format',
    'json',
    '--metrics',
    'off',
  ]
  const nodes: NodeChild[] = []
  try {
    const seq = await startNodeChild(['--datadir', join(dir, 'seq'), ...common, '--dev.automine', 'off'], { OPENLEDGER_SEQUENCER_KEY: sequencerKey })
    nodes.push(seq)
    const val = await startNodeChild(['--datadir', join(dir, 'val'), ...common, '--role', 'validator', '--p2p.bootnodes', seq.p2p.join(',')], {})
    nodes.push(val)
    const seqRpc = createRpcClient(seq.url)
    const valRpc = createRpcClient(val.url)
    const headOf = async (rpc: typeof seqRpc): Promise<number> => Number(BigInt(await rpc.call<string>('eth_blockNumber')))
    // the validator follows empty blocks first: gossip mesh formed, both processes warm
    const warm = await headOf(seqRpc)
    await waitFor('the validator following', 60_000, async () => ((await headOf(valRpc)) >= warm + 3 ? true : undefined))
    const loaded: number[] = []
    for (let b = 0; b < BLOCKS; b++) {
      const before = await headOf(seqRpc)
      const raws = workload.raws.slice(b * TXS_PER_BLOCK, (b + 1) * TXS_PER_BLOCK)
      for (let i = 0; i < raws.length; i += BATCH) {
        const replies = await seqRpc.batch(raws.slice(i, i + BATCH).map((r) => ({ method: 'eth_sendRawTransaction', params: [bytesToHex(r)] })))
        const failed = replies.find((r) => r.error !== undefined)
        if (failed !== undefined) throw new Error(`send failed: ${failed.error!.message}`)
      }
      // the next block carries them
      const built = await waitFor('the loaded block', 30_000, async () => {
        const head = await headOf(seqRpc)
        return head > before ? head : undefined
      })
      loaded.push(built)
    }
    const last = await headOf(seqRpc)
    await waitFor('the validator at the head', 60_000, async () => ((await headOf(valRpc)) >= last ? true : undefined))
    const built = timesOf(seq.lines, 'block built')
    const received = timesOf(val.lines, 'block received')
    const imported = timesOf(val.lines, 'block imported')
    const txsOf = new Map(seq.lines.filter((l) => l.msg === 'block built').map((l) => [Number(l.number), l.txs ?? 0]))
    const full = loaded.filter((n) => (txsOf.get(n) ?? 0) >= TXS_PER_BLOCK * 0.9 && built.has(n) && imported.has(n))
    if (full.length === 0) throw new Error('no loaded block was both built and imported')
    const latency = full.map((n) => imported.get(n)! - built.get(n)!).sort((a, b) => a - b)
    const exec = full
      .filter((n) => received.has(n))
      .map((n) => imported.get(n)! - received.get(n)!)
      .sort((a, b) => a - b)
    const propagation = full
      .filter((n) => received.has(n))
      .map((n) => received.get(n)! - built.get(n)!)
      .sort((a, b) => a - b)
    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
      node: process.version,
      blocks: full.length,
      txsPerBlock: TXS_PER_BLOCK,
      latencyMs: { p50: percentile(latency, 50), p99: percentile(latency, 99), max: latency.at(-1) },
      reexecutionMs: exec.length === 0 ? null : { p50: percentile(exec, 50), p99: percentile(exec, 99) },
      propagationMs: propagation.length === 0 ? null : { p50: percentile(propagation, 50), p99: percentile(propagation, 99) },
    }
    console.log(JSON.stringify(result, null, 2))
    const out = join(here, '../results/p2p-block-propagation.json')
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`)
  } finally {
    for (const n of nodes.reverse()) await stopChild(n.child, 10_000)
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
