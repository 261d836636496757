import type { BlockHeader } from '@ethereumjs/block'
import { OpenLedgerError } from '../errors.ts'
import { CALL_ERROR } from './callErrors.ts'
import type { SimulateBlockCalls } from './types.ts'

/**
 * What one eth_simulateV1 request may ask for (geth internal/ethapi/simulate.go
 * maxSimulateBlocks, maxSimulateCallsPerBlock, maxSimulateTotalCalls). 256 blocks is also the
 * BLOCKHASH window, the limit execution-apis recommends.
 */
export const SIMULATE_LIMITS = {
  /** blocks past the base block, gap-filling blocks included */
  maxBlocks: 256,
  maxCallsPerBlock: 5000,
  maxCalls: 10_000,
} as const

/** Seconds between simulated blocks whose time is not given (geth's timestampIncrement: mainnet's slot). */
export const SIMULATED_BLOCK_TIME = 12n

/** A simulated block with its number and time settled. */
export type PlannedBlock = SimulateBlockCalls & { number: bigint; time: bigint }

function limitExceeded(message: string, meta: Record<string, unknown> = {}): OpenLedgerError {
  return new OpenLedgerError(CALL_ERROR.SIMULATE_LIMIT, message, meta)
}

/**
 * The blocks an eth_simulateV1 request builds on `base`, in order, as geth's sanitizeChain settles
 * them: a block without a number is the previous one's + 1, without a time the previous one's +
 * {@link SIMULATED_BLOCK_TIME}; numbers and times must increase; a gap between numbers is filled
 * with empty blocks (each {@link SIMULATED_BLOCK_TIME} after the one before); at most
 * {@link SIMULATE_LIMITS} blocks and calls. Throws CALL_ERROR_BLOCK_NUMBER_ORDER,
 * CALL_ERROR_BLOCK_TIMESTAMP_ORDER or CALL_ERROR_SIMULATE_LIMIT with geth's messages.
 *
 * @example
 * const planned = planSimulatedBlocks(head.header, [{ calls: [] }, { blockOverrides: { number: head.header.number + 5n }, calls }])
 * // five blocks: head + 1 (requested), head + 2 ... + 4 (gap), head + 5 (requested)
 */
export function planSimulatedBlocks(base: BlockHeader, blocks: readonly SimulateBlockCalls[]): PlannedBlock[] {
  if (blocks.length > SIMULATE_LIMITS.maxBlocks) throw limitExceeded('too many blocks', { blocks: blocks.length })
  let total = 0
  for (const block of blocks) {
    const count = block.calls.length
    if (count > SIMULATE_LIMITS.maxCallsPerBlock) throw limitExceeded(`too many calls in block: ${count} > ${SIMULATE_LIMITS.maxCallsPerBlock}`)
    total += count
    if (total > SIMULATE_LIMITS.maxCalls) throw limitExceeded(`too many calls: ${total} > ${SIMULATE_LIMITS.maxCalls}`)
  }
  const planned: PlannedBlock[] = []
  let prevNumber = base.number
  let prevTime = base.timestamp
  for (const block of blocks) {
    const number = block.blockOverrides?.number ?? prevNumber + 1n
    if (number <= prevNumber) {
      throw new OpenLedgerError(CALL_ERROR.BLOCK_NUMBER_ORDER, `block numbers must be in order: ${number} <= ${prevNumber}`, {})
    }
    if (number - base.number > BigInt(SIMULATE_LIMITS.maxBlocks)) throw limitExceeded('too many blocks', { number: number.toString() })
    for (let gap = prevNumber + 1n; gap < number; gap++) {
      prevTime += SIMULATED_BLOCK_TIME
      planned.push({ number: gap, time: prevTime, calls: [] })
    }
    prevNumber = number
    const time = block.blockOverrides?.time ?? prevTime + SIMULATED_BLOCK_TIME
    if (time <= prevTime) {
      throw new OpenLedgerError(CALL_ERROR.BLOCK_TIMESTAMP_ORDER, `block timestamps must be in order: ${time} <= ${prevTime}`, {})
    }
    prevTime = time
    planned.push({ ...block, number, time })
  }
  return planned
}
