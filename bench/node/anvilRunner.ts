/**
 * Runs the block-production workload against anvil (npm @foundry-rs/anvil) on 127.0.0.1, with
 * the method of shared/specs/ethereumjs.md §3.4: a fresh anvil per run, --no-mining, state set
 * through anvil_setBalance / anvil_setCode / anvil_setStorageAt (not timed), then
 * send + evm_mine + receipts timed.
 */
import { createAnvil } from '../../node/l1/index.ts'
import { createRpcClient } from './jsonRpcClient.ts'
import { runRpcWorkload } from './rpcWorkload.ts'
import type { RpcRunTimings } from './rpcWorkload.ts'
import type { Workload } from './workload.ts'

/** One fresh-anvil run of `workload` (on a port the OS picks); returns the timed phases. */
export async function runAnvil(workload: Workload, opts: { gasLimit: bigint; warmup?: Workload }): Promise<RpcRunTimings> {
  const anvil = await createAnvil({ chainId: workload.chainId, gasLimit: opts.gasLimit, noMining: true, accounts: 1, hardfork: 'prague' })
  try {
    const client = createRpcClient(anvil.url)
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
    await anvil.stop(5_000)
  }
}
