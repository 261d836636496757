import { pino } from 'pino'
import type { Logger } from 'pino'
import type { ExecutedBlock } from '../../runtime/index.ts'
import type { Chain } from '../chain/index.ts'
import { childLogger } from '../logger.ts'
import { createBlockImporter, isPeerFault } from './blockImporter.ts'
import type { BlockImporter, CheckedBlock } from './blockImporter.ts'
import { FutureBlocks } from './futureBlocks.ts'
import { createProgress } from './progress.ts'
import type { Progress } from './progress.ts'
import { syncRange } from './rangeSync.ts'
import type { RangeSyncSettings } from './rangeSync.ts'
import { MAX_SEALED_BLOCK_BYTES, encodeSealedBlock } from './sealedBlock.ts'
import type { GossipVerdict, SyncNetwork } from './syncNetwork.ts'

/** Options of {@link createSync}. */
export type SyncOptions = RangeSyncSettings & {
  /** the chain blocks are imported into (its spec gives the chain id and the sequencer) */
  chain: Chain
  network: SyncNetwork
  /** parent logger; logs as "node:sync" */
  logger?: Logger
  /** range sync progress; default: a bar on stderr when it is a terminal, else log lines */
  progress?: Progress
  /** how often to ask the peers' heads (a new peer or a gossip gap asks at once: poke()) */
  pollIntervalMs: number
  /** gossip blocks above head + 1 kept (seal checked) until their parent is the head */
  maxFutureBlocks: number
  /** bound on one sealed block (gossip or range answer) */
  maxSealedBlockBytes: number
}

/** Defaults of {@link SyncOptions} (all but chain and network). */
export const defaultSyncOptions = {
  // node/p2p serves at most 64 blocks per request (its maxRangeBlocks)
  batchSize: 64,
  // two requests keep the next batch arriving while one imports, without flooding one peer
  maxInFlight: 2,
  // node/p2p's own request timeout is 10 s; ours is the backstop that reports the peer
  requestTimeoutMs: 15_000,
  // a refused peer's bucket refills meanwhile (node/p2p: ~410 blocks/s), and one retry a second costs little
  rateLimitBackoffMs: 1_000,
  pollIntervalMs: 2_000,
  // a minute of 1 s blocks: enough to ride out a short gap without holding much memory
  maxFutureBlocks: 64,
  maxSealedBlockBytes: MAX_SEALED_BLOCK_BYTES,
} as const satisfies Partial<SyncOptions>

/** What status() reports. */
export type SyncStatus = {
  syncing: boolean
  /** the head when the current range sync began (eth_syncing startingBlock); the head when not syncing */
  startingBlock: bigint
  head: bigint
  target: bigint
}

/** A validator's block sync: gossip verdicts, range sync from peers, and the range server. */
export type Sync = {
  /**
   * Verdict on a gossiped sealed block: malformed or badly sealed -> 'reject'; known or at / below
   * the head -> 'ignore'; on the head -> imported ('accept'; invalid -> 'reject'; a local failure
   * -> 'ignore'); above head + 1 -> buffered, 'ignore', and range sync asked to run.
   */
  onGossipBlock(data: Uint8Array, from: string): Promise<GossipVerdict>
  /** encoded sealed blocks start..start+count-1 from the chain, stopping at the first missing block or seal, or before passing maxBytes */
  getBlockRange(start: bigint, count: number, maxBytes: number): Promise<Uint8Array[]>
  /** start range sync and its timer (idempotent) */
  start(): void
  /** ask the peers' heads now (a new peer connected); no-op when stopped */
  poke(): void
  /** stop the timer and wait for the work in flight (idempotent) */
  stop(): Promise<void>
  status(): SyncStatus
}

/**
 * Create the sync service of a validator (the sequencer uses its getBlockRange too). Range sync
 * runs on start(), on poke(), on a gossip gap and every `pollIntervalMs`: it asks the peers'
 * heads and, while the best is above ours, fetches and imports the blocks between. All imports
 * (gossip, range, buffered) go one at a time through the import pipeline, seals required.
 *
 * @example
 * const sync = createSync({ chain, network: syncNetworkOf(p2p), logger })
 * sync.start()
 * // p2p handlers: onBlockMessage: (data, from) => sync.onGossipBlock(data, from), getBlockRange: sync.getBlockRange
 */
export function createSync(options: Pick<SyncOptions, 'chain' | 'network'> & Partial<SyncOptions>): Sync {
  const opts: SyncOptions = { ...defaultSyncOptions, ...options }
  const { chain, network } = opts
  const log = childLogger(opts.logger ?? pino({ level: 'silent' }), 'node:sync')
  const progress = opts.progress ?? createProgress({ logger: log, label: 'sync', stream: process.stderr })
  const importer: BlockImporter = createBlockImporter({ chain, requireSeal: true, maxSealedBlockBytes: opts.maxSealedBlockBytes, logger: log })
  const future = new FutureBlocks(opts.maxFutureBlocks)
  const headNumber = (): bigint => chain.head().header.number

  let started = false
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let syncing = false
  let startingBlock = 0n
  let target = 0n
  let running: Promise<void> | undefined
  let again = false
  // one import at a time, in call order (gossip, range and buffered blocks share it)
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = queue.then(fn, fn)
    queue = result.catch(() => undefined)
    return result
  }
  const importBlock = (checked: CheckedBlock): Promise<ExecutedBlock> => serial(() => importer.importBlock(checked))

  /** Import buffered gossip blocks while the next one is held. */
  const drainFuture = async (): Promise<void> => {
    future.prune(headNumber())
    for (let next = future.take(headNumber() + 1n); next !== undefined && !stopped; next = future.take(headNumber() + 1n)) {
      try {
        await importBlock(next.checked)
        log.debug({ number: next.checked.number }, 'buffered block imported')
      } catch (err) {
        if (isPeerFault(err)) network.reportPeer(next.from, 'invalid_block')
        log.warn({ number: next.checked.number, err }, 'buffered block not imported')
        return
      }
    }
  }

  const round = async (): Promise<void> => {
    let heads: Awaited<ReturnType<SyncNetwork['peerHeads']>>
    try {
      heads = await network.peerHeads()
    } catch (err) {
      log.warn({ err }, 'peer heads unavailable')
      return
    }
    const head = headNumber()
    const best = heads.reduce<bigint>((max, p) => (p.number > max ? p.number : max), head)
    if (best <= head) {
      await drainFuture()
      if (syncing) {
        syncing = false
        progress.finish()
        log.info({ head: headNumber() }, 'range sync caught up; following gossip')
      }
      return
    }
    if (!syncing) {
      syncing = true
      startingBlock = head
      progress.begin(head, best)
      log.info({ head, target: best, peers: heads.length }, 'range sync started')
    } else progress.setTarget(best)
    target = best
    const outcome = await syncRange(
      {
        network,
        importer,
        log,
        progress,
        settings: opts,
        head: headNumber,
        importBlock,
        afterBatch: drainFuture,
        stopped: () => stopped,
      },
      best,
      heads,
    )
    await drainFuture()
    // reached the target: ask again (the peers moved on, or we are caught up); else the timer retries
    if (outcome === 'done') again = true
  }

  const poke = (): void => {
    if (!started || stopped) return
    again = true
    if (running !== undefined) return
    running = (async () => {
      while (again && !stopped) {
        again = false
        try {
          await round()
        } catch (err) {
          log.error({ err }, 'range sync round failed')
        }
      }
    })().finally(() => {
      running = undefined
    })
  }

  return {
    async onGossipBlock(data, from) {
      if (stopped) return 'ignore'
      let checked: CheckedBlock
      try {
        checked = importer.decodeSealed(data)
      } catch (err) {
        log.debug({ from, err }, 'gossip block rejected')
        return 'reject'
      }
      const head = headNumber()
      log.debug({ number: checked.number, from }, 'block received')
      if (checked.number <= head) return 'ignore'
      if (checked.number > head + 1n) {
        if (future.add({ checked, from })) log.debug({ number: checked.number, head }, 'future block buffered')
        if (checked.number > target) target = checked.number
        poke()
        return 'ignore'
      }
      try {
        await importBlock(checked)
      } catch (err) {
        if (isPeerFault(err)) {
          log.warn({ from, number: checked.number, err }, 'gossip block invalid')
          return 'reject'
        }
        log.error({ number: checked.number, err }, 'gossip block import failed')
        return 'ignore'
      }
      log.debug({ number: checked.number, from }, 'gossip block imported')
      void drainFuture()
      return 'accept'
    },

    async getBlockRange(start, count, maxBytes) {
      const out: Uint8Array[] = []
      let bytes = 0
      const head = headNumber()
      for (let n = start < 0n ? 0n : start; n < start + BigInt(Math.max(0, count)) && n <= head; n++) {
        const stored = await chain.getBlockRlp(n)
        const seal = stored === undefined ? undefined : await chain.getSeal(stored.hash)
        if (stored === undefined || seal === undefined) break
        const encoded = encodeSealedBlock({ block: stored.rlp, seal })
        if (bytes + encoded.length > maxBytes) break
        bytes += encoded.length
        out.push(encoded)
      }
      return out
    },

    start() {
      if (started || stopped) return
      started = true
      timer = setInterval(poke, opts.pollIntervalMs)
      timer.unref()
      log.info({ head: headNumber() }, 'sync started')
      poke()
    },

    poke,

    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(timer)
      await running
      await queue
      await importer.close()
      if (syncing) progress.finish()
      syncing = false
    },

    status() {
      const head = headNumber()
      return { syncing, startingBlock: syncing ? startingBlock : head, head, target: target > head ? target : head }
    },
  }
}
