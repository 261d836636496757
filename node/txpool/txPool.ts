import { EventEmitter } from 'node:events'
import { bytesToHex } from '@ethereumjs/util'
import { keccak_256 as keccak256 } from '@noble/hashes/sha3.js'
import { pino } from 'pino'
import type { Logger } from 'pino'
import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { OpenLedgerError, createDecodeCommon, decodeTx, isDepositTx } from '../../runtime/index.ts'
import type { Chain } from '../chain/index.ts'
import { checkAgainstHead, checkFunds, checkNonce } from './admission.ts'
import { feeCapsOf, isReplacementBump, maxCost } from './fees.ts'
import { HeadView } from './headView.ts'
import { indexOfNonce } from './poolEntry.ts'
import type { PoolEntry, SenderQueue } from './poolEntry.ts'
import { PoolIndex } from './poolIndex.ts'
import { createTxJournal } from './txJournal.ts'
import type { TxJournal } from './txJournal.ts'
import { defaultTxPoolOptions, validateTxPoolOptions } from './txPoolOptions.ts'
import type { TxPoolOptions } from './txPoolOptions.ts'
import { TXPOOL_ERROR } from './txPoolErrors.ts'
import type { PendingForBlockOptions, PooledTx, TxPool, TxPoolEvents, TxPoolStatus } from './types.ts'

/**
 * Create the transaction pool of a node: validates txs against the chain head, keeps pending
 * (executable) and queued (future nonce) txs per sender, hands the sequencer the best
 * executable set, follows the chain head and journals itself to disk.
 *
 * @example
 * const pool = await createTxPool({ ...defaultTxPoolOptions, chain, journalPath: join(datadir, 'txpool.journal') })
 * const hash = await pool.addRaw(rawTx)
 * const txs = pool.pendingForBlock(calcNextBaseFee(chain.head().header, chain.nextBlockParams().baseFee))
 */
export async function createTxPool(options: Partial<TxPoolOptions> & { chain: Chain }): Promise<TxPool> {
  const opts: TxPoolOptions = { ...defaultTxPoolOptions, ...options }
  validateTxPoolOptions(opts)
  const pool = new TxPoolImpl(opts)
  await pool.start()
  return pool
}

/** What ingest derives from the raw bytes before taking the lock. */
type Decoded = Pick<PoolEntry, 'tx' | 'hash' | 'sender' | 'size' | 'raw' | 'hashHex'>

class TxPoolImpl implements TxPool {
  private readonly opts: TxPoolOptions
  private readonly chain: Chain
  private readonly log: Logger
  private readonly decode: (raw: Uint8Array) => TypedTransaction
  private readonly keccak: (data: Uint8Array) => Uint8Array
  private readonly events = new EventEmitter()
  private readonly index: PoolIndex
  private seq = 0
  private head: HeadView
  /** tail of the FIFO of exclusive operations (admissions, head revalidations) */
  private lock: Promise<unknown> = Promise.resolve()
  private journal: TxJournal | undefined
  private rotating = false
  private closed = false
  /** senders (keys) to revalidate against the head at the next pass */
  private readonly dirty = new Set<string>()
  private headsSinceFullPass = 0
  private readonly onHead = (executed: { block: Block }): void => this.followHead(executed.block)
  private readonly onRewind = (block: Block): void => this.followRewind(block)

  constructor(opts: TxPoolOptions) {
    this.opts = opts
    this.chain = opts.chain
    this.log = (opts.logger ?? pino({ level: 'silent' })).child({ name: 'node:txpool' })
    this.index = new PoolIndex(this.log)
    const common = createDecodeCommon(opts.chain.common)
    this.decode = opts.decode ?? ((raw) => decodeTx(raw, common))
    this.keccak = opts.chain.common.customCrypto.keccak256 ?? keccak256
    this.head = new HeadView(this.chain, this.chain.head())
  }

  async start(): Promise<void> {
    this.chain.on('head', this.onHead)
    this.chain.on('rewind', this.onRewind)
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
    await this.journal.rewrite(this.index.raws())
    if (raws.length > 0) this.log.info({ replayed: raws.length, kept }, 'txpool journal replayed')
  }

  addRaw(raw: Uint8Array): Promise<Uint8Array> {
    return this.ingest(raw, true)
  }

  add(tx: TypedTransaction): Promise<Uint8Array> {
    return this.ingest(tx.serialize(), true)
  }

  get(hash: Uint8Array): PooledTx | undefined {
    return this.index.byHash.get(bytesToHex(hash))
  }

  pendingForBlock(baseFee: bigint, options: PendingForBlockOptions = {}): TypedTransaction[] {
    return this.index.pendingForBlock(baseFee, options)
  }

  remove(hashes: Iterable<Uint8Array>): number {
    const removed = this.index.removeHashes(hashes)
    this.flushAnnouncements()
    return removed
  }

  content(): { pending: Map<string, PooledTx[]>; queued: Map<string, PooledTx[]> } {
    return this.index.content()
  }

  status(): TxPoolStatus {
    return this.index.status()
  }

  idle(): Promise<void> {
    // The operations run one after another in a FIFO promise chain, so its tail as it is now
    // settles exactly when every operation queued so far has: a snapshot, not a wait for
    // quiescence. Adds arriving meanwhile queue behind the snapshot and do not extend the wait.
    return this.lock.then(() => undefined)
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
    this.chain.off('rewind', this.onRewind)
    // no new operations start once closed: this waits for everything that did
    await this.idle()
    if (this.journal !== undefined) {
      await this.journal.rewrite(this.index.raws())
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

  private ingest(raw: Uint8Array, journal: boolean): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new OpenLedgerError(TXPOOL_ERROR.CLOSED, 'txpool is closed', {}))
    if (raw.length > this.opts.maxTxBytes) {
      return Promise.reject(
        new OpenLedgerError(TXPOOL_ERROR.OVERSIZED, `tx of ${raw.length} bytes exceeds ${this.opts.maxTxBytes}`, {
          size: raw.length,
          limit: this.opts.maxTxBytes,
        }),
      )
    }
    let decoded: Decoded
    try {
      // decode and recover the sender outside the lock: pure CPU, done once per tx
      const tx = this.decode(raw)
      const hash = tx.hash()
      // address = last 20 bytes of keccak(public key), with the chain's fast keccak (tx.getSenderAddress
      // hashes with @noble every call); the public key is already cached on the tx
      const sender = this.keccak(tx.getSenderPublicKey()).subarray(12)
      decoded = { tx, hash, sender, size: raw.length, raw, hashHex: bytesToHex(hash) }
    } catch (err) {
      return Promise.reject(err)
    }
    // queued synchronously, before this call returns: idle() called after it waits for it
    return this.exclusive(() => this.admit(decoded, journal))
  }

  private async admit(base: Decoded, journal: boolean): Promise<Uint8Array> {
    const { tx, hashHex } = base
    if (this.index.byHash.has(hashHex)) throw new OpenLedgerError(TXPOOL_ERROR.ALREADY_KNOWN, 'tx already known', { hash: hashHex })
    const head = this.head
    const caps = feeCapsOf(tx)
    checkAgainstHead(tx, caps, head, this.opts.minTip)
    const key = bytesToHex(base.sender)
    const account = await head.account(base.sender, key)
    const nonce = tx.nonce
    checkNonce(nonce, account, this.opts.maxNonceGap)

    const known = this.index.senders.get(key)
    const existingIndex = known === undefined ? -1 : indexOfNonce(known.txs, nonce)
    const replaced = existingIndex >= 0 ? known!.txs[existingIndex] : undefined
    const cost = maxCost(tx, caps)
    checkFunds(cost, nonce, account, known, replaced)
    if (replaced !== undefined) {
      if (!isReplacementBump(replaced.caps, caps, this.opts.priceBumpPercent)) {
        throw new OpenLedgerError(TXPOOL_ERROR.REPLACEMENT_UNDERPRICED, 'replacement needs both fee caps raised by the price bump', {
          nonce,
          bumpPercent: this.opts.priceBumpPercent,
        })
      }
    } else if (known !== undefined && known.txs.length >= this.opts.maxPerSender) {
      throw new OpenLedgerError(TXPOOL_ERROR.SENDER_LIMIT, 'sender has too many txs in the pool', { limit: this.opts.maxPerSender })
    }

    const sender = this.index.senderQueue(key, base.sender, account.nonce)
    const entry: PoolEntry = { ...base, nonce, caps, cost, seq: this.seq++, isPending: false, counted: false, owner: sender }
    const kept = this.index.insert(entry, replaced, this.opts, head.nextBaseFee)
    if (!kept) {
      // the pool is as it was: only this tx is refused
      this.flushAnnouncements()
      throw new OpenLedgerError(TXPOOL_ERROR.POOL_FULL, 'txpool is full and the tx pays less than every evictable tx', { hash: hashHex })
    }
    if (replaced !== undefined) this.log.debug({ hash: hashHex, replaced: replaced.hashHex, nonce }, 'tx replaced')
    if (journal) this.journal?.append(base.raw)
    this.flushAnnouncements()
    this.log.debug({ hash: hashHex, nonce, pending: entry.isPending }, 'tx added')
    return base.hash
  }

  private flushAnnouncements(): void {
    for (const pooled of this.index.takeAnnouncements()) this.events.emit('pending', pooled)
  }

  /**
   * Chain head moved. Synchronously drop the txs the block included (so the next
   * pendingForBlock does not offer them again) and mark the senders the block touched; then
   * revalidate the marked senders (all of them every `fullRevalidationEvery` heads) against the
   * new head's state under the lock.
   */
  private followHead(block: Block): void {
    this.head = new HeadView(this.chain, block)
    const { byHash, senders } = this.index
    const touched = new Set<SenderQueue>()
    for (const tx of block.transactions) {
      if (isDepositTx(tx)) continue // made from L1 by the sequencer; never pooled, no pool sender to refresh
      const entry = byHash.get(bytesToHex(tx.hash()))
      if (entry !== undefined) {
        const sender = entry.owner
        if (sender.nonce <= entry.nonce) sender.nonce = entry.nonce + 1n
        touched.add(sender)
        this.dirty.add(sender.key)
      } else if (senders.size > 0) {
        // a tx from elsewhere: its sender's pooled txs may now be stale (block txs carry cached senders)
        const key = bytesToHex(tx.getSenderAddress().bytes)
        if (senders.has(key)) this.dirty.add(key)
      }
    }
    if (++this.headsSinceFullPass >= this.opts.fullRevalidationEvery) {
      this.headsSinceFullPass = 0
      for (const key of senders.keys()) this.dirty.add(key)
    }
    for (const sender of touched) this.index.recount(sender)
    this.flushAnnouncements()
    this.revalidateLater()
  }

  /**
   * The chain went back to `block` (--dev evm_revert). Nonces and balances may be lower again:
   * every sender is revalidated against the new head (its nonce taken from the state, so later
   * nonces turn queued). The txs of the removed blocks are not put back, as on anvil.
   */
  private followRewind(block: Block): void {
    this.head = new HeadView(this.chain, block)
    this.headsSinceFullPass = 0
    for (const key of this.index.senders.keys()) this.dirty.add(key)
    this.revalidateLater()
  }

  /** Queue a pass over the dirty senders against the current head. */
  private revalidateLater(): void {
    const head = this.head
    void this.exclusive(() => this.revalidate(head)).catch((err: unknown) => {
      this.log.error({ err, number: head.block.header.number }, 'txpool revalidation failed')
    })
  }

  private async revalidate(head: HeadView): Promise<void> {
    if (this.closed) return
    const { senders } = this.index
    for (const key of [...this.dirty]) {
      // a newer head arrived: its pass takes over the senders still marked
      if (head !== this.head) return
      this.dirty.delete(key)
      const sender = senders.get(key)
      if (sender === undefined) continue
      const account = await head.account(sender.address, sender.key)
      if (senders.get(key) !== sender) continue
      sender.nonce = account.nonce
      for (const entry of [...sender.txs]) {
        if (entry.nonce >= account.nonce && (entry.cost > account.balance || entry.tx.gasLimit > head.gasLimit)) {
          this.log.debug({ hash: entry.hashHex }, 'tx dropped: no longer affordable')
          this.index.drop(entry)
        }
      }
      this.index.recount(sender)
    }
    this.flushAnnouncements()
    const journal = this.journal
    if (journal !== undefined && !this.rotating && journal.appended > Math.max(this.opts.journalRotateAfter, 2 * this.index.byHash.size)) {
      this.rotating = true
      try {
        await journal.rewrite(this.index.raws())
        this.log.debug({ txs: this.index.byHash.size }, 'txpool journal rotated')
      } finally {
        this.rotating = false
      }
    }
  }
}
