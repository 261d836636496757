import { OpenLedgerError } from '../../runtime/index.ts'
import { SEQUENCER_ERROR } from './sequencerErrors.ts'

/** Largest total offset, seconds: evm_increaseTime answers it as a JSON number, and 2^53 s keeps timestamps far inside uint64. */
export const MAX_TIME_OFFSET = BigInt(Number.MAX_SAFE_INTEGER)

/** What evm_snapshot saves of a {@link BlockClock} and evm_revert restores. */
export type BlockClockState = { readonly offset: bigint; readonly next: bigint | undefined }

/** Options of {@link createBlockClock}. */
export type BlockClockOptions = {
  /** wall clock in whole seconds (injectable for tests) */
  now: () => bigint
}

/** Defaults of {@link BlockClockOptions}. */
export const defaultBlockClockOptions: BlockClockOptions = {
  now: (): bigint => BigInt(Math.floor(Date.now() / 1000)),
}

/**
 * The one place that picks the timestamp of the block the sequencer builds, with anvil's time
 * controls (--dev: evm_increaseTime, evm_setNextBlockTimestamp). runtime/ never reads a clock.
 */
export type BlockClock = {
  /**
   * Timestamp of the next block on a parent with `parentTimestamp`: the requested exact one
   * (evm_setNextBlockTimestamp) if any, else now + offset; never below parent + 1, so block
   * timestamps stay strictly increasing (runtime's header rule).
   */
  timestampFor(parentTimestamp: bigint): bigint
  /**
   * Timestamp of a block that must leave a requested exact timestamp to the block after it
   * (anvil_setBalance's block): as {@link timestampFor} without the request, kept below the
   * requested one where there is room (parent + 1 at least in any case).
   */
  fillerTimestampFor(parentTimestamp: bigint): bigint
  /**
   * A block with `timestamp` from {@link timestampFor} was committed: a requested exact timestamp
   * is used up, and the offset moves so later blocks continue from it (as anvil does).
   */
  blockBuilt(timestamp: bigint): void
  /**
   * Add `seconds` (>= 0) to the offset; returns the total offset in seconds (anvil's answer).
   * A total above {@link MAX_TIME_OFFSET} throws SEQUENCER_ERROR_INVALID_TIMESTAMP.
   */
  increaseTime(seconds: bigint): bigint
  /**
   * Request `timestamp` for the next block. It must be above the parent's timestamp (throws
   * SEQUENCER_ERROR_INVALID_TIMESTAMP otherwise, anvil's "Timestamp error").
   */
  setNextTimestamp(timestamp: bigint, parentTimestamp: bigint): void
  /** the offset and a pending exact timestamp (evm_snapshot) */
  save(): BlockClockState
  /** put back what {@link save} returned (evm_revert) */
  restore(state: BlockClockState): void
}

/**
 * Create the sequencer's block clock: timestamp = max(parent + 1, now + offset), or exactly the
 * requested next timestamp. The offset starts at 0 and only the --dev controls change it.
 *
 * @example
 * const clock = createBlockClock()
 * clock.increaseTime(7n * 86_400n) // 604800n: later blocks are a week ahead
 * const timestamp = clock.timestampFor(chain.head().header.timestamp)
 */
export function createBlockClock(options: Partial<BlockClockOptions> = {}): BlockClock {
  const { now } = { ...defaultBlockClockOptions, ...options }
  let offset = 0n
  let next: bigint | undefined
  const atLeast = (timestamp: bigint, parentTimestamp: bigint): bigint => (timestamp > parentTimestamp ? timestamp : parentTimestamp + 1n)
  return {
    timestampFor(parentTimestamp) {
      return atLeast(next ?? now() + offset, parentTimestamp)
    },
    fillerTimestampFor(parentTimestamp) {
      const free = now() + offset
      return atLeast(next !== undefined && free >= next ? next - 1n : free, parentTimestamp)
    },
    blockBuilt(timestamp) {
      if (next === undefined) return
      next = undefined
      offset = timestamp - now()
    },
    increaseTime(seconds) {
      if (offset + seconds > MAX_TIME_OFFSET) {
        throw new OpenLedgerError(SEQUENCER_ERROR.INVALID_TIMESTAMP, `Timestamp error: a time offset of ${offset + seconds} s is above 2^53 - 1`, {
          offset: (offset + seconds).toString(),
        })
      }
      offset += seconds
      return offset
    },
    setNextTimestamp(timestamp, parentTimestamp) {
      if (timestamp <= parentTimestamp) {
        throw new OpenLedgerError(
          SEQUENCER_ERROR.INVALID_TIMESTAMP,
          `Timestamp error: ${timestamp} is lower than or equal to previous block's timestamp ${parentTimestamp}`,
          { timestamp: timestamp.toString(), parentTimestamp: parentTimestamp.toString() },
        )
      }
      next = timestamp
    },
    save: () => ({ offset, next }),
    restore(state) {
      offset = state.offset
      next = state.next
    },
  }
}
