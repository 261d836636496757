import type { Block } from '@ethereumjs/block'
import { bytesToHex, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { pino } from 'pino'
import type { Logger } from 'pino'
import type { RollupSpec } from '../../genesis/index.ts'
import { OpenLedgerError, blockL1Info, l1InfoDepositTx } from '../../runtime/index.ts'
import type { DepositTx, L1InfoOrigin, L1Origin } from '../../runtime/index.ts'
import { SEQUENCER_ERROR } from './sequencerErrors.ts'

/** Where the sequencer reads L1 from (node/l1's follower implements it). */
export type L1OriginSource = {
  /** the confirmed L1 block `number` with its deposits; undefined while L1 cannot say */
  originAt(number: bigint): Promise<L1Origin | undefined>
  /** the confirmed L1 block after `current`, if its parent hash is `current.hash`; else undefined */
  nextOrigin(current: { number: bigint; hash: Uint8Array }): Promise<L1Origin | undefined>
}

/** The L1 origin of an L2 block and the block's place in that origin's epoch. */
export type L2BlockOrigin = L1InfoOrigin & { sequenceNumber: bigint }

/** What the sequencer asks of the rollup rules for each block. */
export type RollupDeposits = {
  /**
   * The deposits that open the block after `parent` at `timestamp`, the L1-info deposit first: the
   * next L1 origin's user deposits (in L1 log order) when that origin is confirmed, follows the
   * parent's origin and is not later than `timestamp`, else none (same epoch, sequence number + 1).
   */
  forBlock(parent: Block, timestamp: bigint): Promise<DepositTx[]>
  /** the L1 origin a block of this chain carries (the rollup's L1 genesis block for the L2 genesis) */
  originOf(block: Block): Promise<L2BlockOrigin>
}

/** Options of {@link createRollupDeposits}. */
export type RollupDepositsOptions = {
  rollup: RollupSpec
  l1: L1OriginSource
  logger?: Logger
  /**
   * Longest a block build waits for L1's answer about the next origin, ms. A slower answer (an L1
   * that hangs rather than refuses) is kept for the next block, so an L1 outage delays blocks by
   * at most this much instead of an RPC timeout each.
   */
  l1WaitMs?: number
}

/** Default of {@link RollupDepositsOptions.l1WaitMs}: a healthy L1 answers in a few ms. */
export const DEFAULT_L1_WAIT_MS = 250
// answers about origins kept for a few epochs (the current origin's next is asked once per block)
const ASKED_KEEP = 8

/**
 * The sequencer's side of derivation: one L1 origin per epoch, advanced by at most one L1 block
 * per L2 block (op-node's sequencer rule), user deposits included only in the first block of the
 * epoch that follows their L1 block. Everything it needs to go on is in the chain: a block's L1
 * origin and sequence number are read back from its L1-info deposit, so after a restart (or a
 * kill -9 between reading L1 and committing a block) the next block continues from the head's
 * origin and every deposit is included exactly once. The L2 genesis is anchored to
 * `rollup.l1Genesis`; deposits at or before it (the genesis supply's backing) are never derived.
 *
 * @example
 * const deposits = createRollupDeposits({ rollup: spec.rollup, l1: follower })
 * await chain.buildBlock(txs, { timestamp, deposits: await deposits.forBlock(chain.head(), timestamp) })
 */
export function createRollupDeposits(options: RollupDepositsOptions): RollupDeposits {
  const { rollup, l1 } = options
  const log = (options.logger ?? pino({ level: 'silent' })).child({ name: 'node:rollup' })
  let genesisOrigin: L1InfoOrigin | undefined
  let driftWarnedAt: bigint | undefined
  const waitMs = options.l1WaitMs ?? DEFAULT_L1_WAIT_MS
  // one question per current origin at a time: a slow answer lands here for a later block to use
  const asked = new Map<string, { answer: Promise<L1Origin | undefined>; settled: boolean; value: L1Origin | undefined }>()

  /** The next origin after `current`, as far as L1 says within `waitMs` (undefined otherwise). */
  async function nextOrigin(current: { number: bigint; hash: Uint8Array }): Promise<L1Origin | undefined> {
    const key = bytesToHex(current.hash)
    let entry = asked.get(key)
    // a settled "not yet" is asked again; a found origin is final (L1 blocks are confirmed first)
    if (entry === undefined || (entry.settled && entry.value === undefined)) {
      const fresh: { answer: Promise<L1Origin | undefined>; settled: boolean; value: L1Origin | undefined } = {
        answer: l1.nextOrigin(current),
        settled: false,
        value: undefined,
      }
      fresh.answer.then(
        (value) => Object.assign(fresh, { settled: true, value }),
        () => Object.assign(fresh, { settled: true, value: undefined }),
      )
      asked.delete(key)
      asked.set(key, fresh)
      // forget the oldest questions (insertion order: the earliest epochs)
      for (const old of asked.keys()) {
        if (asked.size <= ASKED_KEEP) break
        asked.delete(old)
      }
      entry = fresh
    }
    if (entry.settled) return entry.value
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, waitMs, undefined)
    })
    try {
      return await Promise.race([entry.answer.catch(() => undefined), late])
    } finally {
      clearTimeout(timer)
    }
  }

  async function anchor(): Promise<L1InfoOrigin> {
    if (genesisOrigin !== undefined) return genesisOrigin
    const origin = await l1.originAt(rollup.l1Genesis.number)
    if (origin === undefined) {
      throw new OpenLedgerError(SEQUENCER_ERROR.L1_UNAVAILABLE, 'the L1 genesis block of the rollup config is not available from L1 yet', {
        l1Genesis: rollup.l1Genesis.number.toString(),
      })
    }
    if (!equalsBytes(origin.hash, hexToBytes(rollup.l1Genesis.hash))) {
      throw new OpenLedgerError(SEQUENCER_ERROR.L1_MISMATCH, 'L1 does not hold the rollup config genesis.l1 block (wrong --l1.rpc or rollup config)', {
        number: rollup.l1Genesis.number.toString(),
        expected: rollup.l1Genesis.hash,
        found: bytesToHex(origin.hash),
      })
    }
    genesisOrigin = origin
    return origin
  }

  async function originOf(block: Block): Promise<L2BlockOrigin> {
    if (block.header.number === 0n) return { ...(await anchor()), sequenceNumber: 0n }
    const info = blockL1Info(block.transactions, { number: block.header.number.toString() })
    return {
      number: info.number,
      hash: info.hash,
      timestamp: info.timestamp,
      baseFee: info.baseFee,
      blobBaseFee: info.blobBaseFee,
      sequenceNumber: info.sequenceNumber,
    }
  }

  return {
    originOf,
    async forBlock(parent, timestamp) {
      const current = await originOf(parent)
      const next = await nextOrigin({ number: current.number, hash: current.hash })
      if (next !== undefined && next.timestamp <= timestamp) {
        if (next.deposits.length > 0) log.info({ l1Block: next.number, deposits: next.deposits.length }, 'including L1 deposits')
        return [l1InfoDepositTx(next, 0n, rollup), ...next.deposits]
      }
      if (timestamp > current.timestamp + rollup.maxSequencerDrift && driftWarnedAt !== current.number) {
        driftWarnedAt = current.number
        log.warn(
          { l1Origin: current.number, l2Timestamp: timestamp, maxSequencerDrift: rollup.maxSequencerDrift },
          'L2 time ran past the sequencer drift: L1 is unavailable or behind',
        )
      }
      return [l1InfoDepositTx(current, current.sequenceNumber + 1n, rollup)]
    },
  }
}
