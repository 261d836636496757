import { Worker } from 'node:worker_threads'
import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Address } from '@ethereumjs/util'
import type { Logger } from 'pino'
import type { ChainSpec } from '../../genesis/index.ts'
import { isDepositTx, primeTxEncoding, primeTxSender } from '../../runtime/index.ts'
import { PRECOMPUTED_AT, PRECOMPUTED_FLAG, PRECOMPUTED_RECORD } from './txPrecompute.ts'
import type { PrecomputedTxs } from './txPrecompute.ts'

/**
 * Tx work ahead of execution, on a worker thread: while the main thread executes block N, the
 * worker decodes block N+1's RLP with the chain's Common and computes each signed tx's encoding,
 * hash, sender public key and sender address (txPrecompute.ts); they land in the main thread's tx
 * objects' caches (ethereumjs' `tx.cache.hash` and `tx.cache.senderPubKey`, where tx.hash() and
 * getSenderPublicKey() look first, and runtime's txEncoding / txSender caches). Recovery,
 * hashing and the re-serializations were ~30% of an import on the main thread (profiled:
 * bench/RESULTS.md "sync / import"); on two cores they overlap execution. A tx the worker could
 * not decode or recover is left to the main thread, which throws ethereumjs' own error as before.
 */
export type SenderRecovery = {
  /** start the block's tx work (`raw`: the block's RLP); resolves once its caches are filled (never rejects) */
  prefetch(block: Block, raw: Uint8Array): Promise<void>
  /** stop the worker (idempotent) */
  close(): Promise<void>
}

type Pending = { resolve: () => void; txs: TypedTransaction[] }

/**
 * Put the worker's values into the block's tx objects. Index-aligned with the body; a result of
 * another length (not this block) is ignored. Only frozen txs are filled: ethereumjs caches on
 * frozen txs only (its default), and does the same.
 */
export function applyPrecomputed(txs: readonly TypedTransaction[], pre: PrecomputedTxs): void {
  if (pre.flags.length !== txs.length) return
  txs.forEach((tx, i) => {
    const flags = pre.flags[i] ?? 0
    if (flags === 0 || isDepositTx(tx) || !Object.isFrozen(tx)) return
    const record = i * PRECOMPUTED_RECORD
    primeTxEncoding(tx, pre.enc.subarray(pre.offsets[i], pre.offsets[i + 1]))
    tx.cache.hash ??= pre.fixed.slice(record + PRECOMPUTED_AT.hash, record + PRECOMPUTED_AT.hash + 32)
    if ((flags & PRECOMPUTED_FLAG.RECOVERED) === 0 || tx.cache.senderPubKey !== undefined) return
    tx.cache.senderPubKey = pre.fixed.slice(record + PRECOMPUTED_AT.key, record + PRECOMPUTED_AT.key + 64)
    primeTxSender(tx, new Address(pre.fixed.slice(record + PRECOMPUTED_AT.sender, record + PRECOMPUTED_AT.sender + 20)))
  })
}

/**
 * The worker-backed {@link SenderRecovery} for a chain (its spec builds the worker's Common);
 * without a worker (it failed to start) prefetch does nothing.
 */
export function createSenderRecovery(spec: ChainSpec, log: Logger): SenderRecovery {
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
      // the Common needs the chain's parameters, not its genesis accounts
      worker = new Worker(new URL('./senderWorker.js', import.meta.url), { workerData: { spec: { ...spec, alloc: {} } } })
    } catch (err) {
      failed = true
      log.warn({ err }, 'sender recovery worker unavailable; senders recovered on the main thread')
      return undefined
    }
    worker.unref()
    worker.on('message', ({ id, ...pre }: PrecomputedTxs & { id: number }) => {
      const p = pending.get(id)
      if (p === undefined) return
      pending.delete(id)
      applyPrecomputed(p.txs, pre)
      p.resolve()
    })
    worker.on('error', (err) => {
      failed = true
      worker = undefined
      log.warn({ err }, 'sender recovery worker failed; senders recovered on the main thread')
      settleAll()
    })
    worker.on('exit', () => {
      // an exit without 'error' (terminated elsewhere): nothing more will answer
      failed = true
      worker = undefined
      settleAll()
    })
    return worker
  }

  return {
    prefetch(block, raw) {
      const txs = block.transactions as TypedTransaction[]
      const work = txs.some((tx) => !isDepositTx(tx) && tx.cache.hash === undefined)
      const w = work ? start() : undefined
      if (w === undefined) return Promise.resolve()
      // a copy in a buffer of its own, transferred: `raw` may be a view into a larger buffer (a
      // libp2p response, a file chunk) that must not be detached, and a Buffer's slice() is a view
      const bytes = new Uint8Array(raw)
      const id = nextId++
      return new Promise<void>((resolve) => {
        pending.set(id, { resolve, txs })
        w.postMessage({ id, raw: bytes }, [bytes.buffer])
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
