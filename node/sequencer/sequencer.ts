import { EventEmitter } from 'node:events'
import { performance } from 'node:perf_hooks'
import { bytesToHex } from '@ethereumjs/util'
import { pino } from 'pino'
import type { Logger } from 'pino'
import type { BuildResult } from '../../runtime/index.ts'
import { OpenLedgerError, TX_ERROR, calcNextBaseFee, isCodedError } from '../../runtime/index.ts'
import type { Chain, DevBalance } from '../chain/index.ts'
import type { TxPool } from '../txpool/index.ts'
import { createBlockClock } from './blockClock.ts'
import type { RollupDeposits } from './rollupDeposits.ts'
import type { BlockClock } from './blockClock.ts'
import { SEQUENCER_ERROR } from './sequencerErrors.ts'

/** What the sequencer reports for every block it built (the metrics hook's argument). */
export type SequencerBlock = {
  number: bigint
  hash: Uint8Array
  timestamp: bigint
  txs: number
  gasUsed: bigint
  /** candidate txs the builder rejected at execution (dropped from the pool) */
  rejected: number
  /** wall time of chain.buildBlock, seconds */
  buildSeconds: number
  /** what triggered the build */
  trigger: 'interval' | 'automine' | 'manual'
}

/** Events a Sequencer emits. */
export type SequencerEvents = {
  block: (block: SequencerBlock, result: BuildResult) => void
  /** a build failed; the sequencer keeps going */
  error: (err: Error) => void
}

/** Options of {@link createSequencer}. */
export type SequencerOptions = {
  chain: Chain
  pool: TxPool
  logger?: Logger
  /** seconds between interval blocks (empty blocks included); 0 = no interval timer */
  blockTime: number
  /** also build as soon as txs become pending (anvil's automine; --dev) */
  automine: boolean
  /** cap on txs per block; the block gas limit applies regardless */
  maxTxsPerBlock: number
  /** wall clock in whole seconds (injectable for tests); read through the block clock */
  now: () => bigint
  /** picks block timestamps (the --dev time controls share it); default: a clock on `now` */
  clock?: BlockClock
  /** metrics hook: called after every built block (wire to prom-client in the composition root) */
  onBlock?: (block: SequencerBlock) => void
  /** a rollup chain's deposits (L1-info first) for each block; absent on a chain without `rollup` */
  deposits?: RollupDeposits
}

/** Defaults of {@link SequencerOptions} (all but chain and pool). */
export const defaultSequencerOptions = {
  blockTime: 1,
  automine: false,
  // a 2,000-transfer block builds in about 2 s on LevelDB (shared/specs/ethereumjs.md §3.2)
  maxTxsPerBlock: 10_000,
  now: (): bigint => BigInt(Math.floor(Date.now() / 1000)),
} as const satisfies Partial<SequencerOptions>

/** The block producer of a sequencer node. */
export type Sequencer = {
  /** start the interval timer and, with automine, listening to the pool */
  start(): void
  /** stop timers and listeners, wait for a build in progress to finish */
  stop(): Promise<void>
  /**
   * Build one block now (after any build in progress); empty blocks allowed. With `devBalances`
   * (--dev anvil_setBalance) the block sets those balances and takes no pool txs.
   */
  buildNow(options?: { devBalances?: readonly DevBalance[] }): Promise<SequencerBlock>
  /**
   * Run `fn` between builds: after the build in progress and those already queued, before any
   * requested later (--dev evm_snapshot / evm_revert move the head only there).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>
  readonly running: boolean
  on<E extends keyof SequencerEvents>(event: E, listener: SequencerEvents[E]): void
  off<E extends keyof SequencerEvents>(event: E, listener: SequencerEvents[E]): void
}

/**
 * Create the sequencer: builds a block from the pool's best executable txs every `blockTime`
 * seconds and, with `automine`, as soon as txs arrive. Only one build runs at a time; txs that
 * arrive during a build wait for the next block (bursts coalesce into one block).
 * Timestamps come from the block clock: max(parent.timestamp + 1, now + offset), where only the
 * --dev controls move the offset (see blockClock.ts).
 *
 * @example
 * const sequencer = createSequencer({ ...defaultSequencerOptions, chain, pool, automine: true })
 * sequencer.on('block', (b) => log.info({ number: b.number, txs: b.txs }, 'block built'))
 * sequencer.start()
 * await sequencer.stop()
 */
export function createSequencer(options: Partial<SequencerOptions> & { chain: Chain; pool: TxPool }): Sequencer {
  const opts: SequencerOptions = { ...defaultSequencerOptions, ...options }
  if (!Number.isInteger(opts.blockTime) || opts.blockTime < 0) {
    throw new OpenLedgerError(SEQUENCER_ERROR.INVALID_OPTION, 'sequencer option blockTime must be an integer >= 0 (seconds)', {
      option: 'blockTime',
    })
  }
  if (!Number.isSafeInteger(opts.maxTxsPerBlock) || opts.maxTxsPerBlock < 1) {
    throw new OpenLedgerError(SEQUENCER_ERROR.INVALID_OPTION, 'sequencer option maxTxsPerBlock must be a positive integer', {
      option: 'maxTxsPerBlock',
    })
  }
  const { chain, pool } = opts
  const clock = opts.clock ?? createBlockClock({ now: opts.now })
  const log = (opts.logger ?? pino({ level: 'silent' })).child({ name: 'node:sequencer' })
  const events = new EventEmitter()
  let running = false
  let timer: NodeJS.Timeout | undefined
  let automineScheduled = false
  // one build at a time: every build request chains onto the previous one
  let tail: Promise<unknown> = Promise.resolve()
  type Slot = { trigger: SequencerBlock['trigger']; devBalances?: readonly DevBalance[]; done: Promise<SequencerBlock | undefined> }
  let queued: Slot | undefined

  async function build(trigger: SequencerBlock['trigger'], devBalances?: readonly DevBalance[]): Promise<SequencerBlock | undefined> {
    // a timer or automine request queued before stop() does not build after it
    if (!running && trigger !== 'manual') return undefined
    // the pool drops the previous block's txs on `head`; let its revalidation finish first
    await pool.idle()
    const parent = chain.head()
    const next = chain.nextBlockParams()
    const baseFee = calcNextBaseFee(parent.header, next.baseFee)
    // a block of --dev balances is the balances alone: pending txs wait for their own block
    const txs = devBalances === undefined ? pool.pendingForBlock(baseFee, { gasLimit: next.gasLimit, maxTxs: opts.maxTxsPerBlock }) : []
    // automine builds only when something is executable; interval and manual builds may be empty
    if (trigger === 'automine' && txs.length === 0) return undefined
    const timestamp = devBalances === undefined ? clock.timestampFor(parent.header.timestamp) : clock.fillerTimestampFor(parent.header.timestamp)
    const started = performance.now()
    const deposits = opts.deposits === undefined ? undefined : await opts.deposits.forBlock(parent, timestamp)
    const result = await chain.buildBlock(txs, {
      timestamp,
      ...(devBalances === undefined ? {} : { devBalances }),
      ...(deposits === undefined ? {} : { deposits }),
    })
    if (devBalances === undefined) clock.blockBuilt(timestamp)
    const buildSeconds = (performance.now() - started) / 1000
    if (result.rejected.length > 0) {
      // txs that merely did not fit stay for the next block; invalid ones leave the pool
      const invalid = result.rejected.filter((r) => !(isCodedError(r.error) && r.error.code === TX_ERROR.BLOCK_GAS_EXCEEDED))
      pool.remove(invalid.map((r) => r.tx.hash()))
      log.debug({ rejected: result.rejected.length, dropped: invalid.length }, 'txs rejected at execution')
    }
    const header = result.block.header
    const info: SequencerBlock = {
      number: header.number,
      hash: result.block.hash(),
      timestamp: header.timestamp,
      txs: result.block.transactions.length,
      gasUsed: header.gasUsed,
      rejected: result.rejected.length,
      buildSeconds,
      trigger,
    }
    log.debug({ number: info.number, hash: bytesToHex(info.hash), txs: info.txs, gasUsed: info.gasUsed, buildSeconds, trigger }, 'block built')
    opts.onBlock?.(info)
    events.emit('block', info, result)
    return info
  }

  /**
   * Queue a build after the one in progress. Automine and interval requests made while one is
   * already waiting join it (coalescing); an interval request upgrades a waiting automine one.
   * A manual request (evm_mine) is one block each, as on anvil and Hardhat: it never joins.
   */
  function request(trigger: SequencerBlock['trigger'], devBalances?: readonly DevBalance[]): Promise<SequencerBlock | undefined> {
    if (queued !== undefined && trigger !== 'manual') {
      if (trigger === 'interval' && queued.trigger === 'automine') queued.trigger = trigger
      return queued.done
    }
    const slot: Slot = { trigger, done: Promise.resolve(undefined) }
    if (devBalances !== undefined) slot.devBalances = devBalances
    slot.done = tail.then(async () => {
      if (queued === slot) queued = undefined
      try {
        return await build(slot.trigger, slot.devBalances)
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err))
        log.error({ err: error }, 'block build failed')
        if (events.listenerCount('error') > 0) events.emit('error', error)
        throw error
      }
    })
    // a block of --dev balances takes no pool txs: automine and interval requests must not join it
    if (devBalances === undefined) queued = slot
    tail = slot.done.catch(() => undefined)
    return slot.done
  }

  function onPending(): void {
    if (!running || automineScheduled) return
    automineScheduled = true
    // let a burst of adds (same tick / same RPC batch) land before building
    setImmediate(() => {
      automineScheduled = false
      if (running) request('automine').catch(() => undefined)
    })
  }

  // interval ticks are spaced from tick start to tick start, so build time does not add drift
  let nextTickAt = 0
  function scheduleTick(): void {
    if (!running || opts.blockTime === 0) return
    const nowMs = performance.now()
    nextTickAt = Math.max(nextTickAt + opts.blockTime * 1000, nowMs)
    timer = setTimeout(() => {
      timer = undefined
      request('interval')
        .catch(() => undefined)
        .finally(scheduleTick)
    }, nextTickAt - nowMs)
  }

  return {
    get running() {
      return running
    },
    start() {
      if (running) return
      running = true
      if (opts.automine) pool.on('pending', onPending)
      nextTickAt = performance.now()
      scheduleTick()
      log.info({ blockTime: opts.blockTime, automine: opts.automine }, 'sequencer started')
      // txs already pending at start (journal replay) get a block right away
      if (opts.automine && pool.status().pending > 0) onPending()
    },
    async stop() {
      if (!running) {
        await tail
        return
      }
      running = false
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      pool.off('pending', onPending)
      await tail
      log.info({}, 'sequencer stopped')
    },
    async buildNow(options = {}) {
      const info = await request('manual', options.devBalances)
      if (info === undefined) throw new OpenLedgerError(SEQUENCER_ERROR.STOPPED, 'no block was built', {})
      return info
    },
    exclusive(fn) {
      const run = tail.then(fn)
      tail = run.catch(() => undefined)
      // requests made from now on queue behind fn instead of joining a build queued before it
      queued = undefined
      return run
    },
    on(event, listener) {
      events.on(event, listener)
    },
    off(event, listener) {
      events.off(event, listener)
    },
  }
}
