import { EventEmitter } from 'node:events'
import { getMinimumGasLimit } from '@ethereumjs/tx'
import { bytesToHex } from '@ethereumjs/util'
import { keccak_256 as keccak256 } from '@noble/hashes/sha3.js'
import { pino } from 'pino'
import type { Logger } from 'pino'
import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { OpenLedgerError, decodeTx } from '../../runtime/index.ts'
import type { Chain } from '../chain/index.ts'
import { BinaryHeap } from './binaryHeap.ts'
import { createDecodeCommon } from './decodeCommon.ts'
import { effectiveTip, feeCapsOf, isReplacementBump, maxCost } from './fees.ts'
import type { FeeCaps } from './fees.ts'
import { HeadView } from './headView.ts'
import { createTxJournal } from './txJournal.ts'
import type { TxJournal } from './txJournal.ts'
import { TXPOOL_ERROR } from './types.ts'
import type { PendingForBlockOptions, PooledTx, TxPool, TxPoolEvents, TxPoolStatus } from './types.ts'

/** Options of {@link createTxPool}. */
export type TxPoolOptions = {
  /** the chain whose head the pool validates against (state, base fee, gas limit, `head` events) */
  chain: Chain
  /** parent logger; the pool logs as the child "node:txpool" */
  logger?: Logger
  /** journal file (e.g. `<datadir>/txpool.journal`); undefined = no persistence across restarts */
  journalPath?: string
  /** minimum maxPriorityFeePerGas (gasPrice for legacy txs), wei; geth's --txpool.pricelimit */
  minTip: bigint
  /** replacement needs both fee caps raised by at least this many percent (geth: 10) */
  priceBumpPercent: bigint
  /** txs one sender may hold (pending + queued); geth's account slots are 16, we allow bursts */
  maxPerSender: number
  /** global pending (executable) limit; the cheapest are evicted beyond it */
  maxPending: number
  /** global queued (future nonce) limit; the cheapest are evicted beyond it */
  maxQueued: number
  /** largest serialized tx accepted, bytes (geth txMaxSize: 4 slots of 32 KiB = 128 KiB) */
  maxTxBytes: number
  /** a tx nonce may be at most this far above the account nonce */
  maxNonceGap: bigint
  /** rewrite the journal compacted once this many records were appended since the last rewrite */
  journalRotateAfter: number
  /**
   * Every head revalidates the senders the block touched; every this many heads all senders are
   * revalidated (balances can also fall without a tx of theirs, e.g. EIP-7702 delegated code).
   */
  fullRevalidationEvery: number
  /** raw bytes -> signed tx; throws OpenLedgerError(TX_ERROR_*) for malformed / wrong-chain / blob txs */
  decode?: (raw: Uint8Array) => TypedTransaction
}

/** Defaults of {@link TxPoolOptions} (all but `chain`). */
export const defaultTxPoolOptions = {
  minTip: 1n,
  priceBumpPercent: 10n,
  maxPerSender: 64,
  maxPending: 4096,
  maxQueued: 1024,
  maxTxBytes: 128 * 1024,
  maxNonceGap: 64n,
  journalRotateAfter: 4096,
  // 16 heads = 16 s at the devnet's 1 s block time; a full pass reads one account per sender
  fullRevalidationEvery: 16,
} as const satisfies Partial<TxPoolOptions>

/** A tx in the pool with what validation derived from it. */
type Entry = PooledTx & {
  raw: Uint8Array
  hashHex: string
  nonce: bigint
  caps: FeeCaps
  cost: bigint
  /** arrival order: deterministic tie-break */
  seq: number
  isPending: boolean
  /** included in pendingCount / queuedCount */
  counted: boolean
  owner: Sender
}

/** One sender's txs, sorted by nonce; the first `pending` are contiguous from `nonce`. */
type Sender = {
  key: string
  address: Uint8Array
  /** account nonce at the latest head the pool has seen */
  nonce: bigint
  txs: Entry[]
  pending: number
}

/**
 * Create the transaction pool of a node: validates txs against the chain head, keeps pending
 * (executable) and queued (future nonce) txs per sender, hands the sequencer the best
 * executable set, follows the chain head and journals itself to disk.
 *
 * @example
 * const pool = await createTxPool({ ...defaultTxPoolOptions, chain, journalPath: join(datadir, 'txpool.journal') })
 * const hash = await pool.addRaw(rawTx)
 * const txs = pool.pendingForBlock(calcNextBaseFee(chain.head().header, chain.spec.baseFee))
 */
export async function createTxPool(options: Partial<TxPoolOptions> & { chain: Chain }): Promise<TxPool> {
  const opts: TxPoolOptions = { ...defaultTxPoolOptions, ...options }
  validateOptions(opts)
  const pool = new TxPoolImpl(opts)
  await pool.start()
  return pool
}

function validateOptions(opts: TxPoolOptions): void {
  const positive: (keyof TxPoolOptions)[] = ['maxPerSender', 'maxPending', 'maxQueued', 'maxTxBytes', 'journalRotateAfter', 'fullRevalidationEvery']
  for (const name of positive) {
    const value = opts[name]
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new OpenLedgerError(TXPOOL_ERROR.INVALID_OPTION, `txpool option ${name} must be a positive integer`, { option: name })
    }
  }
  if (opts.minTip < 0n) throw new OpenLedgerError(TXPOOL_ERROR.INVALID_OPTION, 'txpool option minTip must be >= 0', { option: 'minTip' })
  if (opts.priceBumpPercent < 0n) {
    throw new OpenLedgerError(TXPOOL_ERROR.INVALID_OPTION, 'txpool option priceBumpPercent must be >= 0', { option: 'priceBumpPercent' })
  }
  if (opts.maxNonceGap < 0n) {
    throw new OpenLedgerError(TXPOOL_ERROR.INVALID_OPTION, 'txpool option maxNonceGap must be >= 0', { option: 'maxNonceGap' })
  }
}

function txError(code: (typeof TXPOOL_ERROR)[keyof typeof TXPOOL_ERROR], message: string, meta: Record<string, unknown>): OpenLedgerError {
  return new OpenLedgerError(code, message, meta)
}

/** Eviction order: lowest effective tip first, then lowest fee cap, then the newest. */
function cheaper(a: Entry, b: Entry, baseFee: bigint): boolean {
  const ta = effectiveTip(a.caps, baseFee)
  const tb = effectiveTip(b.caps, baseFee)
  if (ta !== tb) return ta < tb
  if (a.caps.feeCap !== b.caps.feeCap) return a.caps.feeCap < b.caps.feeCap
  return a.seq > b.seq
}

class TxPoolImpl implements TxPool {
  private readonly opts: TxPoolOptions
  private readonly chain: Chain
  private readonly log: Logger
  private readonly decode: (raw: Uint8Array) => TypedTransaction
  private readonly keccak: (data: Uint8Array) => Uint8Array
  private readonly events = new EventEmitter()
  private readonly byHash = new Map<string, Entry>()
  private readonly senders = new Map<string, Sender>()
  private pendingCount = 0
  private queuedCount = 0
  private seq = 0
  private head: HeadView
  private lock: Promise<unknown> = Promise.resolve()
  private journal: TxJournal | undefined
  private rotating = false
  private closed = false
  /** senders (keys) to revalidate against the head at the next pass */
  private readonly dirty = new Set<string>()
  private headsSinceFullPass = 0
  /** entries that became pending during the current operation, announced at its end */
  private announce: Entry[] = []
  private readonly onHead = (executed: { block: Block }): void => this.followHead(executed.block)

  constructor(opts: TxPoolOptions) {
    this.opts = opts
    this.chain = opts.chain
    this.log = (opts.logger ?? pino({ level: 'silent' })).child({ name: 'node:txpool' })
    const common = createDecodeCommon(opts.chain.common)
    this.decode = opts.decode ?? ((raw) => decodeTx(raw, common))
    this.keccak = opts.chain.common.customCrypto.keccak256 ?? keccak256
    this.head = new HeadView(this.chain, this.chain.head())
  }

  async start(): Promise<void> {
    this.chain.on('head', this.onHead)
    if (this.opts.journalPath === undefined) return
    this.journal = await createTxJournal(this.opts.journalPath)
    const raws = await this.journal.load()
    let kept = 0
    for (const raw of raws) {
      try {
        await this.ingest(raw, false)
        kept++
      } catch (err) {
        this.log.debug({ err }, 'journal tx dropped')
      }
    }
    await this.journal.rewrite(this.journalContent())
    if (raws.length > 0) this.log.info({ replayed: raws.length, kept }, 'txpool journal replayed')
  }

  addRaw(raw: Uint8Array): Promise<Uint8Array> {
    return this.ingest(raw, true)
  }

  add(tx: TypedTransaction): Promise<Uint8Array> {
    return this.ingest(tx.serialize(), true)
  }

  get(hash: Uint8Array): PooledTx | undefined {
    return this.byHash.get(bytesToHex(hash))
  }

  pendingForBlock(baseFee: bigint, options: PendingForBlockOptions = {}): TypedTransaction[] {
    type Cursor = { sender: Sender; index: number; tip: bigint; seq: number }
    const heap = new BinaryHeap<Cursor>((a, b) => a.tip > b.tip || (a.tip === b.tip && a.seq < b.seq))
    const cursorAt = (sender: Sender, index: number): Cursor | undefined => {
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

  remove(hashes: Iterable<Uint8Array>): number {
    const touched = new Set<Sender>()
    let removed = 0
    for (const hash of hashes) {
      const entry = this.byHash.get(bytesToHex(hash))
      if (entry === undefined) continue
      this.dropEntry(entry)
      touched.add(entry.owner)
      removed++
    }
    for (const sender of touched) this.recount(sender)
    this.flushAnnouncements()
    return removed
  }

  content(): { pending: Map<string, PooledTx[]>; queued: Map<string, PooledTx[]> } {
    const pending = new Map<string, PooledTx[]>()
    const queued = new Map<string, PooledTx[]>()
    const keys = [...this.senders.keys()].sort()
    for (const key of keys) {
      const sender = this.senders.get(key)!
      if (sender.pending > 0) pending.set(key, sender.txs.slice(0, sender.pending).map(toPooled))
      if (sender.txs.length > sender.pending) queued.set(key, sender.txs.slice(sender.pending).map(toPooled))
    }
    return { pending, queued }
  }

  status(): TxPoolStatus {
    return { pending: this.pendingCount, queued: this.queuedCount }
  }

  async idle(): Promise<void> {
    for (;;) {
      const current = this.lock
      await current
      if (current === this.lock) return
    }
  }

  on<E extends keyof TxPoolEvents>(event: E, listener: TxPoolEvents[E]): void {
    this.events.on(event, listener)
  }

  off<E extends keyof TxPoolEvents>(event: E, listener: TxPoolEvents[E]): void {
    this.events.off(event, listener)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.chain.off('head', this.onHead)
    await this.idle()
    if (this.journal !== undefined) {
      await this.journal.rewrite(this.journalContent())
      await this.journal.close()
      this.journal = undefined
    }
  }

  // --- internals ---------------------------------------------------------------------------

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn)
    this.lock = run.catch(() => undefined)
    return run
  }

  private async ingest(raw: Uint8Array, journal: boolean): Promise<Uint8Array> {
    if (this.closed) throw txError(TXPOOL_ERROR.CLOSED, 'txpool is closed', {})
    if (raw.length > this.opts.maxTxBytes) {
      throw txError(TXPOOL_ERROR.OVERSIZED, `tx of ${raw.length} bytes exceeds ${this.opts.maxTxBytes}`, {
        size: raw.length,
        limit: this.opts.maxTxBytes,
      })
    }
    // decode and recover the sender outside the lock: pure CPU, done once per tx
    const tx = this.decode(raw)
    const hash = tx.hash()
    // address = last 20 bytes of keccak(public key), with the chain's fast keccak (tx.getSenderAddress
    // hashes with @noble every call); the public key is already cached on the tx
    const sender = this.keccak(tx.getSenderPublicKey()).subarray(12)
    const entry = { tx, hash, sender, size: raw.length, raw, hashHex: bytesToHex(hash) }
    return this.exclusive(() => this.admit(entry, journal))
  }

  private async admit(
    base: Pick<Entry, 'tx' | 'hash' | 'sender' | 'size' | 'raw' | 'hashHex'>,
    journal: boolean,
  ): Promise<Uint8Array> {
    const { tx, hashHex } = base
    if (this.byHash.has(hashHex)) throw txError(TXPOOL_ERROR.ALREADY_KNOWN, 'tx already known', { hash: hashHex })
    const head = this.head
    if (tx.gasLimit > head.gasLimit) {
      throw txError(TXPOOL_ERROR.GAS_LIMIT_EXCEEDED, 'tx gas limit exceeds the block gas limit', {
        gasLimit: tx.gasLimit,
        blockGasLimit: head.gasLimit,
      })
    }
    const minGas = getMinimumGasLimit(tx)
    if (tx.gasLimit < minGas) {
      throw txError(TXPOOL_ERROR.INTRINSIC_GAS_TOO_LOW, 'tx gas limit below its intrinsic gas', {
        gasLimit: tx.gasLimit,
        intrinsicGas: minGas,
      })
    }
    const caps = feeCapsOf(tx)
    if (caps.tipCap < this.opts.minTip) {
      throw txError(TXPOOL_ERROR.UNDERPRICED, 'tx priority fee below the pool minimum', { tip: caps.tipCap, minTip: this.opts.minTip })
    }
    if (caps.feeCap < head.nextBaseFee) {
      throw txError(TXPOOL_ERROR.UNDERPRICED, 'tx max fee below the current base fee', { maxFee: caps.feeCap, baseFee: head.nextBaseFee })
    }
    const key = bytesToHex(base.sender)
    const account = await head.account(base.sender, key)
    const nonce = tx.nonce
    if (nonce < account.nonce) {
      throw txError(TXPOOL_ERROR.NONCE_TOO_LOW, 'tx nonce too low', { nonce, accountNonce: account.nonce })
    }
    if (nonce > account.nonce + this.opts.maxNonceGap) {
      throw txError(TXPOOL_ERROR.NONCE_TOO_HIGH, 'tx nonce too far above the account nonce', {
        nonce,
        accountNonce: account.nonce,
        maxGap: this.opts.maxNonceGap,
      })
    }
    const cost = maxCost(tx, caps)
    if (account.balance < cost) {
      throw txError(TXPOOL_ERROR.INSUFFICIENT_FUNDS, 'insufficient funds for value + gasLimit * maxFee', {
        balance: account.balance,
        cost,
      })
    }

    let sender = this.senders.get(key)
    const existingIndex = sender === undefined ? -1 : indexOfNonce(sender.txs, nonce)
    const existing = existingIndex >= 0 ? sender!.txs[existingIndex] : undefined
    if (existing !== undefined && existing.nonce === nonce) {
      if (!isReplacementBump(existing.caps, caps, this.opts.priceBumpPercent)) {
        throw txError(TXPOOL_ERROR.REPLACEMENT_UNDERPRICED, 'replacement needs both fee caps raised by the price bump', {
          nonce,
          bumpPercent: this.opts.priceBumpPercent,
        })
      }
    } else if (sender !== undefined && sender.txs.length >= this.opts.maxPerSender) {
      throw txError(TXPOOL_ERROR.SENDER_LIMIT, 'sender has too many txs in the pool', { limit: this.opts.maxPerSender })
    }

    if (sender === undefined) {
      sender = { key, address: base.sender, nonce: account.nonce, txs: [], pending: 0 }
      this.senders.set(key, sender)
    } else {
      sender.nonce = account.nonce
    }
    const entry: Entry = { ...base, nonce, caps, cost, seq: this.seq++, isPending: false, counted: false, owner: sender }
    if (existing !== undefined && existing.nonce === nonce) {
      sender.txs[existingIndex] = entry
      // the replaced tx stops being counted; recount() counts the new one
      this.uncount(existing)
      this.log.debug({ hash: hashHex, replaced: existing.hashHex, nonce }, 'tx replaced')
    } else {
      sender.txs.splice(insertionIndex(sender.txs, nonce), 0, entry)
    }
    this.byHash.set(hashHex, entry)
    this.recount(sender)
    this.enforceLimits()
    if (!this.byHash.has(hashHex)) {
      this.flushAnnouncements()
      throw txError(TXPOOL_ERROR.POOL_FULL, 'txpool is full and the tx pays less than every evictable tx', { hash: hashHex })
    }
    if (journal) this.journal?.append(base.raw)
    this.flushAnnouncements()
    this.log.debug({ hash: hashHex, nonce, pending: entry.isPending }, 'tx added')
    return base.hash
  }

  /** Recompute which of a sender's txs are pending (contiguous from the account nonce). */
  private recount(sender: Sender): void {
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
    if (sender.txs.length === 0) this.senders.delete(sender.key)
  }

  /** Take an entry out of the pending / queued counters (and the hash index if it left the pool). */
  private uncount(entry: Entry): void {
    if (entry.counted) {
      if (entry.isPending) this.pendingCount--
      else this.queuedCount--
    }
    entry.counted = false
    entry.isPending = false
    if (!entry.owner.txs.includes(entry) && this.byHash.get(entry.hashHex) === entry) this.byHash.delete(entry.hashHex)
  }

  /** Remove an entry (not its sender's later nonces); the caller recounts the sender. */
  private dropEntry(entry: Entry): void {
    const sender = entry.owner
    const index = sender.txs.indexOf(entry)
    if (index >= 0) sender.txs.splice(index, 1)
    this.uncount(entry)
  }

  /** Evict the cheapest txs while a global limit is exceeded; never a sender's lower nonce first. */
  private enforceLimits(): void {
    const baseFee = this.head.nextBaseFee
    while (this.pendingCount > this.opts.maxPending) {
      let victim: Entry | undefined
      for (const sender of this.senders.values()) {
        if (sender.pending === 0) continue
        const tail = sender.txs[sender.pending - 1]!
        if (victim === undefined || cheaper(tail, victim, baseFee)) victim = tail
      }
      if (victim === undefined) break
      // dropping a pending tail strands the sender's queued txs above it: drop them too
      const sender = victim.owner
      for (const entry of sender.txs.slice(sender.pending - 1)) this.dropEntry(entry)
      this.log.debug({ hash: victim.hashHex }, 'pending tx evicted')
      this.recount(sender)
    }
    while (this.queuedCount > this.opts.maxQueued) {
      let victim: Entry | undefined
      for (const sender of this.senders.values()) {
        if (sender.txs.length === sender.pending) continue
        const tail = sender.txs[sender.txs.length - 1]!
        if (victim === undefined || cheaper(tail, victim, baseFee)) victim = tail
      }
      if (victim === undefined) break
      this.dropEntry(victim)
      this.log.debug({ hash: victim.hashHex }, 'queued tx evicted')
      this.recount(victim.owner)
    }
  }

  private flushAnnouncements(): void {
    const list = this.announce
    this.announce = []
    for (const entry of list) {
      if (entry.isPending && this.byHash.get(entry.hashHex) === entry) this.events.emit('pending', toPooled(entry))
    }
  }

  /**
   * Chain head moved. Synchronously drop the txs the block included (so the next
   * pendingForBlock does not offer them again) and mark the senders the block touched; then
   * revalidate the marked senders (all of them every `fullRevalidationEvery` heads) against the
   * new head's state under the lock.
   */
  private followHead(block: Block): void {
    this.head = new HeadView(this.chain, block)
    const touched = new Set<Sender>()
    for (const tx of block.transactions) {
      const entry = this.byHash.get(bytesToHex(tx.hash()))
      if (entry !== undefined) {
        const sender = entry.owner
        if (sender.nonce <= entry.nonce) sender.nonce = entry.nonce + 1n
        touched.add(sender)
        this.dirty.add(sender.key)
      } else if (this.senders.size > 0) {
        // a tx from elsewhere: its sender's pooled txs may now be stale (block txs carry cached senders)
        const key = bytesToHex(tx.getSenderAddress().bytes)
        if (this.senders.has(key)) this.dirty.add(key)
      }
    }
    if (++this.headsSinceFullPass >= this.opts.fullRevalidationEvery) {
      this.headsSinceFullPass = 0
      for (const key of this.senders.keys()) this.dirty.add(key)
    }
    for (const sender of touched) this.recount(sender)
    this.flushAnnouncements()
    const head = this.head
    void this.exclusive(() => this.revalidate(head)).catch((err: unknown) => {
      this.log.error({ err, number: block.header.number }, 'txpool revalidation failed')
    })
  }

  private async revalidate(head: HeadView): Promise<void> {
    if (this.closed) return
    for (const key of [...this.dirty]) {
      // a newer head arrived: its pass takes over the senders still marked
      if (head !== this.head) return
      this.dirty.delete(key)
      const sender = this.senders.get(key)
      if (sender === undefined) continue
      const account = await head.account(sender.address, sender.key)
      if (this.senders.get(key) !== sender) continue
      sender.nonce = account.nonce
      for (const entry of [...sender.txs]) {
        if (entry.nonce >= account.nonce && (entry.cost > account.balance || entry.tx.gasLimit > head.gasLimit)) {
          this.log.debug({ hash: entry.hashHex }, 'tx dropped: no longer affordable')
          this.dropEntry(entry)
        }
      }
      this.recount(sender)
    }
    this.flushAnnouncements()
    const journal = this.journal
    if (journal !== undefined && !this.rotating && journal.appended > Math.max(this.opts.journalRotateAfter, 2 * this.byHash.size)) {
      this.rotating = true
      try {
        await journal.rewrite(this.journalContent())
        this.log.debug({ txs: this.byHash.size }, 'txpool journal rotated')
      } finally {
        this.rotating = false
      }
    }
  }

  private *journalContent(): Iterable<Uint8Array> {
    for (const sender of this.senders.values()) for (const entry of sender.txs) yield entry.raw
  }
}

function toPooled(entry: Entry): PooledTx {
  return { tx: entry.tx, hash: entry.hash, sender: entry.sender, size: entry.size }
}

/** Index of the tx with `nonce`, or -1. Sender lists are short (<= maxPerSender). */
function indexOfNonce(txs: Entry[], nonce: bigint): number {
  for (let i = 0; i < txs.length; i++) if (txs[i]!.nonce === nonce) return i
  return -1
}

/** Position that keeps `txs` sorted by nonce. */
function insertionIndex(txs: Entry[], nonce: bigint): number {
  let lo = 0
  let hi = txs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (txs[mid]!.nonce < nonce) lo = mid + 1
    else hi = mid
  }
  return lo
}
