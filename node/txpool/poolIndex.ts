import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex } from '@ethereumjs/util'
import type { Logger } from 'pino'
import { BinaryHeap } from './binaryHeap.ts'
import { effectiveTip } from './fees.ts'
import { cheaper, insertionIndex, toPooled } from './poolEntry.ts'
import type { PoolEntry, SenderQueue } from './poolEntry.ts'
import type { PendingForBlockOptions, PooledTx, TxPoolStatus } from './types.ts'

/** The global limits {@link PoolIndex.insert} enforces. */
export type PoolLimits = { maxPending: number; maxQueued: number }

/**
 * The pool's book-keeping, synchronous and free of I/O: txs by hash, per-sender nonce queues
 * split into pending (contiguous from the account nonce) and queued, the two global counters,
 * eviction over the limits, and the txs that became pending since the last
 * {@link takeAnnouncements}. Validation and head-following live in txPool.ts.
 */
export class PoolIndex {
  readonly byHash = new Map<string, PoolEntry>()
  readonly senders = new Map<string, SenderQueue>()
  pendingCount = 0
  queuedCount = 0
  private announce: PoolEntry[] = []
  private readonly log: Logger

  constructor(log: Logger) {
    this.log = log
  }

  /** The sender's queue, created (empty, at `nonce`) if the pool holds nothing of it yet. */
  senderQueue(key: string, address: Uint8Array, nonce: bigint): SenderQueue {
    let sender = this.senders.get(key)
    if (sender === undefined) {
      sender = { key, address, nonce, txs: [], pending: 0 }
      this.senders.set(key, sender)
    } else sender.nonce = nonce
    return sender
  }

  /**
   * Add an admitted entry (in place of `replaced`, same sender and nonce, if given), then evict
   * the cheapest tails while a global limit is exceeded. Returns false when the newcomer itself
   * is evicted: the pool is then exactly as it was before the call (only the newcomer is refused;
   * nothing evicted on its behalf, such as its sender's queued txs above it, stays evicted).
   */
  insert(entry: PoolEntry, replaced: PoolEntry | undefined, limits: PoolLimits, baseFee: bigint): boolean {
    const sender = entry.owner
    const announced = this.announce.length
    if (replaced !== undefined) {
      sender.txs[sender.txs.indexOf(replaced)] = entry
      // the replaced tx stops being counted; recount() counts the new one
      this.uncount(replaced)
    } else {
      sender.txs.splice(insertionIndex(sender.txs, entry.nonce), 0, entry)
    }
    this.byHash.set(entry.hashHex, entry)
    this.recount(sender)
    const evicted = this.evictOverLimits(limits, baseFee)
    if (!evicted.includes(entry)) return true
    const touched = new Set<SenderQueue>()
    for (const other of evicted) {
      if (other !== entry) touched.add(this.restore(other))
    }
    if (replaced !== undefined) touched.add(this.restore(replaced))
    for (const queue of touched) this.recount(queue)
    // the pool is as before the call: nothing new to announce
    this.announce.length = announced
    return false
  }

  /** Recompute which of a sender's txs are pending (contiguous from the account nonce). */
  recount(sender: SenderQueue): void {
    // txs below the account nonce are stale (included, or replaced on chain)
    let stale = 0
    while (stale < sender.txs.length && sender.txs[stale]!.nonce < sender.nonce) stale++
    for (const entry of sender.txs.splice(0, stale)) this.uncount(entry)
    let expected: bigint | undefined = sender.nonce
    let pending = 0
    for (const entry of sender.txs) {
      const isPending = entry.nonce === expected
      if (isPending) {
        pending++
        expected = entry.nonce + 1n
      } else expected = undefined
      if (!entry.counted || entry.isPending !== isPending) {
        if (entry.counted) this.uncount(entry)
        if (isPending) {
          this.pendingCount++
          this.announce.push(entry)
        } else this.queuedCount++
        entry.isPending = isPending
        entry.counted = true
      }
    }
    sender.pending = pending
    if (sender.txs.length === 0 && this.senders.get(sender.key) === sender) this.senders.delete(sender.key)
  }

  /** Remove an entry (not its sender's later nonces); the caller recounts the sender. */
  drop(entry: PoolEntry): void {
    const sender = entry.owner
    const index = sender.txs.indexOf(entry)
    if (index >= 0) sender.txs.splice(index, 1)
    this.uncount(entry)
  }

  /** Drop txs by hash (not their senders' later nonces, which become queued); returns how many were pooled. */
  removeHashes(hashes: Iterable<Uint8Array>): number {
    const touched = new Set<SenderQueue>()
    let removed = 0
    for (const hash of hashes) {
      const entry = this.byHash.get(bytesToHex(hash))
      if (entry === undefined) continue
      this.drop(entry)
      touched.add(entry.owner)
      removed++
    }
    for (const sender of touched) this.recount(sender)
    return removed
  }

  /** Entries that became pending since the last call and are still pending in the pool. */
  takeAnnouncements(): PooledTx[] {
    const list = this.announce
    this.announce = []
    return list.filter((entry) => entry.isPending && this.byHash.get(entry.hashHex) === entry).map(toPooled)
  }

  /** Executable txs for the next block: per sender in nonce order, across senders by effective tip. */
  pendingForBlock(baseFee: bigint, options: PendingForBlockOptions = {}): TypedTransaction[] {
    type Cursor = { sender: SenderQueue; index: number; tip: bigint; seq: number }
    const heap = new BinaryHeap<Cursor>((a, b) => a.tip > b.tip || (a.tip === b.tip && a.seq < b.seq))
    const cursorAt = (sender: SenderQueue, index: number): Cursor | undefined => {
      if (index >= sender.pending) return undefined
      const entry = sender.txs[index]!
      // a tx that cannot pay the base fee blocks its sender's later nonces too
      if (entry.caps.feeCap < baseFee) return undefined
      return { sender, index, tip: effectiveTip(entry.caps, baseFee), seq: entry.seq }
    }
    for (const sender of this.senders.values()) {
      const cursor = cursorAt(sender, 0)
      if (cursor !== undefined) heap.push(cursor)
    }
    const out: TypedTransaction[] = []
    let gasLeft = options.gasLimit
    const maxTxs = options.maxTxs ?? Number.POSITIVE_INFINITY
    for (let cursor = heap.pop(); cursor !== undefined && out.length < maxTxs; cursor = heap.pop()) {
      const entry = cursor.sender.txs[cursor.index]!
      if (gasLeft !== undefined) {
        // does not fit: skip the rest of this sender (its later nonces would be invalid)
        if (entry.tx.gasLimit > gasLeft) continue
        gasLeft -= entry.tx.gasLimit
      }
      out.push(entry.tx)
      const next = cursorAt(cursor.sender, cursor.index + 1)
      if (next !== undefined) heap.push(next)
    }
    return out
  }

  /** pending and queued txs grouped by sender (lowercase hex, sorted), each list in nonce order */
  content(): { pending: Map<string, PooledTx[]>; queued: Map<string, PooledTx[]> } {
    const pending = new Map<string, PooledTx[]>()
    const queued = new Map<string, PooledTx[]>()
    for (const key of [...this.senders.keys()].sort()) {
      const sender = this.senders.get(key)!
      if (sender.pending > 0) pending.set(key, sender.txs.slice(0, sender.pending).map(toPooled))
      if (sender.txs.length > sender.pending) queued.set(key, sender.txs.slice(sender.pending).map(toPooled))
    }
    return { pending, queued }
  }

  status(): TxPoolStatus {
    return { pending: this.pendingCount, queued: this.queuedCount }
  }

  /** Every pooled raw tx, per sender in nonce order (the journal's content). */
  *raws(): Iterable<Uint8Array> {
    for (const sender of this.senders.values()) for (const entry of sender.txs) yield entry.raw
  }

  /** Evict the cheapest tails while a global limit is exceeded; never a sender's lower nonce first. */
  private evictOverLimits(limits: PoolLimits, baseFee: bigint): PoolEntry[] {
    const evicted: PoolEntry[] = []
    while (this.pendingCount > limits.maxPending) {
      let victim: PoolEntry | undefined
      for (const sender of this.senders.values()) {
        if (sender.pending === 0) continue
        const tail = sender.txs[sender.pending - 1]!
        if (victim === undefined || cheaper(tail, victim, baseFee)) victim = tail
      }
      if (victim === undefined) break
      // dropping a pending tail strands the sender's queued txs above it: drop them too
      const sender = victim.owner
      for (const entry of sender.txs.slice(sender.pending - 1)) {
        this.drop(entry)
        evicted.push(entry)
      }
      this.log.debug({ hash: victim.hashHex }, 'pending tx evicted')
      this.recount(sender)
    }
    while (this.queuedCount > limits.maxQueued) {
      let victim: PoolEntry | undefined
      for (const sender of this.senders.values()) {
        if (sender.txs.length === sender.pending) continue
        const tail = sender.txs[sender.txs.length - 1]!
        if (victim === undefined || cheaper(tail, victim, baseFee)) victim = tail
      }
      if (victim === undefined) break
      this.drop(victim)
      evicted.push(victim)
      this.log.debug({ hash: victim.hashHex }, 'queued tx evicted')
      this.recount(victim.owner)
    }
    return evicted
  }

  /** Put an evicted entry back into its sender's queue; the caller recounts the returned queue. */
  private restore(entry: PoolEntry): SenderQueue {
    const sender = entry.owner
    if (this.senders.get(sender.key) !== sender) this.senders.set(sender.key, sender)
    sender.txs.splice(insertionIndex(sender.txs, entry.nonce), 0, entry)
    this.byHash.set(entry.hashHex, entry)
    return sender
  }

  /** Take an entry out of the pending / queued counters (and the hash index if it left the pool). */
  private uncount(entry: PoolEntry): void {
    if (entry.counted) {
      if (entry.isPending) this.pendingCount--
      else this.queuedCount--
    }
    entry.counted = false
    entry.isPending = false
    if (!entry.owner.txs.includes(entry) && this.byHash.get(entry.hashHex) === entry) this.byHash.delete(entry.hashHex)
  }
}
