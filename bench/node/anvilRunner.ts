/**
 * Runs the block-production workload against anvil (npm @foundry-rs/anvil) on 127.0.0.1, with
 * the method of shared/specs/ethereumjs.md §3.4: a fresh anvil per run, --no-mining, state set
 * through anvil_setBalance / anvil_setCode / anvil_setStorageAt (not timed), then
 * send + evm_mine + receipts timed.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { stopChild, track } from './childProcesses.ts'
import { createRpcClient, waitForRpc } from './jsonRpcClient.ts'
import { runRpcWorkload } from './rpcWorkload.ts'
import type { RpcRunTimings } from './rpcWorkload.ts'
import type { Workload } from './workload.ts'

/** Path of the anvil binary shipped by the @foundry-rs/anvil-linux-amd64 optional dependency. */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('@foundry-rs/anvil-linux-amd64/package.json')
  const bin = join(dirname(pkg), 'bin', 'anvil')
  if (!existsSync(bin)) throw new Error(`anvil binary missing at ${bin}`)
  return bin
}

/** `anvil --version` output. */
export async function anvilVersion(): Promise<string> {
  const child = spawn(anvilBinary(), ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  await new Promise((resolve) => child.once('exit', resolve))
  return out.trim().split('\n')[0] ?? 'anvil (unknown version)'
}

/** One fresh-anvil run of `workload`; returns the timed phases. */
export async function runAnvil(workload: Workload, opts: { port: number; gasLimit: bigint; warmup?: Workload }): Promise<RpcRunTimings> {
  const child = track(
    spawn(
      anvilBinary(),
      [
        '--host',
        '127.0.0.1',
        '--port',
        String(opts.port),
        '--chain-id',
        workload.chainId.toString(),
        '--gas-limit',
        opts.gasLimit.toString(),
        '--no-mining',
        '--accounts',
        '1',
        '--silent',
        '--hardfork',
        'prague',
      ],
      { stdio: 'ignore' },
    ),
  )
  try {
    const client = createRpcClient(`http://127.0.0.1:${opts.port}`)
    await waitForRpc(client, 30_000)
    const setup: { method: string; params: unknown[] }[] = []
    for (const w of opts.warmup === undefined ? [workload] : [workload, opts.warmup]) {
      for (const s of w.senders) setup.push({ method: 'anvil_setBalance', params: [s.address, `0x${w.senderBalance.toString(16)}`] })
      if (w.token !== undefined) {
        setup.push({ method: 'anvil_setCode', params: [w.token.address, w.token.code] })
        for (const [slot, value] of Object.entries(w.token.storage)) {
          setup.push({ method: 'anvil_setStorageAt', params: [w.token.address, slot, value] })
        }
      }
    }
    for (let i = 0; i < setup.length; i += 200) {
      const replies = await client.batch(setup.slice(i, i + 200))
      const failed = replies.find((r) => r.error !== undefined)
      if (failed !== undefined) throw new Error(`anvil state setup failed: ${failed.error!.message}`)
    }
    const run = { sendBatch: 100, receiptBatch: 500, mine: async () => void (await client.call('evm_mine')), timeoutMs: 60_000 }
    // same untimed warm-up as our node gets (symmetry; anvil has no JIT to warm)
    if (opts.warmup !== undefined) await runRpcWorkload(client, opts.warmup, run)
    return await runRpcWorkload(client, workload, run)
  } finally {
    await stopChild(child, 5_000)
  }
}
