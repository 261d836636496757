import { Worker } from 'node:worker_threads'
import type { Block } from '@ethereumjs/block'
import { Capability } from '@ethereumjs/tx'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bigIntToUnpaddedBytes, calculateSigRecovery, setLengthLeft } from '@ethereumjs/util'
import type { Logger } from 'pino'
import { isDepositTx } from '../../runtime/index.ts'

/**
 * Sender recovery ahead of execution, on a worker thread: while the main thread executes block
 * N, the worker recovers the public keys of block N+1's signed txs and they land in each tx's
 * cache (`tx.cache.senderPubKey`, where ethereumjs' getSenderPublicKey looks first). Recovery is
 * ~19% of an import on the main thread (profiled: bench/RESULTS.md "sync / import"); on two cores
 * it overlaps execution. The keys are the same libsecp256k1 recovery with the same arguments as
 * node/crypto's ecrecover; a tx the worker cannot recover is left to the main thread, which
 * throws ethereumjs' own error as before.
 */
export type SenderRecovery = {
  /** start recovering the block's senders; resolves once their keys are cached (never rejects) */
  prefetch(block: Block): Promise<void>
  /** stop the worker (idempotent) */
  close(): Promise<void>
}

const ITEM = 97

type Pending = { resolve: () => void; txs: TypedTransaction[] }

/** The worker-backed {@link SenderRecovery}; without a worker (it failed to start) prefetch does nothing. */
export function createSenderRecovery(log: Logger): SenderRecovery {
  let worker: Worker | undefined
  let failed = false
  let nextId = 0
  const pending = new Map<number, Pending>()
  const settleAll = (): void => {
    for (const p of pending.values()) p.resolve()
    pending.clear()
  }
  const start = (): Worker | undefined => {
    if (worker !== undefined || failed) return worker
    try {
      worker = new Worker(new URL('./senderWorker.js', import.meta.url))
    } catch (err) {
      failed = true
      log.warn({ err }, 'sender recovery worker unavailable; senders recovered on the main thread')
      return undefined
    }
    worker.unref()
    worker.on('message', ({ id, keys, ok }: { id: number; keys: Uint8Array; ok: Uint8Array }) => {
      const p = pending.get(id)
      if (p === undefined) return
      pending.delete(id)
      p.txs.forEach((tx, i) => {
        // ethereumjs caches the key itself only on frozen txs (its default); do as it does
        if (ok[i] === 1 && Object.isFrozen(tx) && tx.cache.senderPubKey === undefined) tx.cache.senderPubKey = keys.slice(i * 64, i * 64 + 64)
      })
      p.resolve()
    })
    worker.on('error', (err) => {
      failed = true
      worker = undefined
      log.warn({ err }, 'sender recovery worker failed; senders recovered on the main thread')
      settleAll()
    })
    return worker
  }

  return {
    prefetch(block) {
      const txs: TypedTransaction[] = []
      const items: Uint8Array[] = []
      for (const tx of block.transactions) {
        if (isDepositTx(tx) || tx.cache.senderPubKey !== undefined || !tx.isSigned()) continue
        const { v, r, s } = tx
        const recovery = calculateSigRecovery(v!, tx.supports(Capability.EIP155ReplayProtection) ? tx.common.chainId() : undefined)
        const rBytes = bigIntToUnpaddedBytes(r!)
        const sBytes = bigIntToUnpaddedBytes(s!)
        if ((recovery !== 0n && recovery !== 1n) || rBytes.length > 32 || sBytes.length > 32) continue
        const item = new Uint8Array(ITEM)
        item.set(tx.getMessageToVerifySignature(), 0)
        item.set(setLengthLeft(rBytes, 32), 32)
        item.set(setLengthLeft(sBytes, 32), 64)
        item[96] = Number(recovery)
        txs.push(tx)
        items.push(item)
      }
      const w = txs.length === 0 ? undefined : start()
      if (w === undefined) return Promise.resolve()
      const input = new Uint8Array(items.length * ITEM)
      for (const [i, item] of items.entries()) input.set(item, i * ITEM)
      const id = nextId++
      return new Promise<void>((resolve) => {
        pending.set(id, { resolve, txs })
        w.postMessage({ id, input }, [input.buffer])
      })
    },
    async close() {
      const w = worker
      worker = undefined
      failed = true
      settleAll()
      if (w !== undefined) await w.terminate()
    },
  }
}
