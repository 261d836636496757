/**
 * The client side of an end-to-end block-production run over JSON-RPC, identical for anvil and
 * our node (shared/specs/ethereumjs.md §3.4): batches of eth_sendRawTransaction sent one after
 * another, then a block trigger, then batched eth_getTransactionReceipt until every receipt exists.
 */
import { bytesToHex } from '@ethereumjs/util'
import type { RpcClient } from './jsonRpcClient.ts'
import type { Workload } from './workload.ts'

/** Timings of one run, milliseconds; gas in all and of each tx (in workload order). */
export type RpcRunTimings = { sendMs: number; mineMs: number; receiptsMs: number; totalMs: number; gasUsed: bigint; txGas: bigint[]; blocks: number }

/** Send, mine (via `mine`), and wait for every receipt; every receipt must have status 1. */
export async function runRpcWorkload(
  client: RpcClient,
  workload: Pick<Workload, 'raws' | 'hashes'>,
  opts: { sendBatch: number; receiptBatch: number; mine: () => Promise<void>; timeoutMs: number },
): Promise<RpcRunTimings> {
  const rawHex = workload.raws.map((r) => bytesToHex(r))
  const t0 = performance.now()
  for (let i = 0; i < rawHex.length; i += opts.sendBatch) {
    const replies = await client.batch(rawHex.slice(i, i + opts.sendBatch).map((raw) => ({ method: 'eth_sendRawTransaction', params: [raw] })))
    const failed = replies.find((r) => r.error !== undefined)
    if (failed !== undefined) throw new Error(`eth_sendRawTransaction failed: ${failed.error!.message}`)
  }
  const t1 = performance.now()
  await opts.mine()
  const t2 = performance.now()
  const hashes = workload.hashes.map((h) => bytesToHex(h))
  let missing: string[] = hashes
  const gasOf = new Map<string, bigint>()
  const blocks = new Set<string>()
  const deadline = Date.now() + opts.timeoutMs
  while (missing.length > 0) {
    const still: string[] = []
    for (let i = 0; i < missing.length; i += opts.receiptBatch) {
      const chunk = missing.slice(i, i + opts.receiptBatch)
      const replies = await client.batch(chunk.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h] })))
      replies.forEach((reply, j) => {
        const receipt = reply.result as { status: string; gasUsed: string; blockHash: string } | null | undefined
        if (receipt === null || receipt === undefined) {
          still.push(chunk[j]!)
          return
        }
        if (receipt.status !== '0x1') throw new Error(`tx ${chunk[j]} failed (status ${receipt.status})`)
        gasOf.set(chunk[j]!, BigInt(receipt.gasUsed))
        blocks.add(receipt.blockHash)
      })
    }
    missing = still
    if (missing.length > 0) {
      if (Date.now() > deadline) throw new Error(`${missing.length} receipts still missing after ${opts.timeoutMs} ms`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
  const t3 = performance.now()
  const txGas = hashes.map((h) => gasOf.get(h)!)
  const gasUsed = txGas.reduce((sum, g) => sum + g, 0n)
  return { sendMs: t1 - t0, mineMs: t2 - t1, receiptsMs: t3 - t2, totalMs: t3 - t0, gasUsed, txGas, blocks: blocks.size }
}
