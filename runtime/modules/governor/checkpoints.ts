import { arraySlot } from '../framework/slots.ts'
import type { ModuleContext } from '../framework/types.ts'

/**
 * OZ's Checkpoints.Trace208 in module storage: the array length at `slot`, items at
 * keccak(slot), each one word `key uint48 | value uint208 << 48` (keys ascending).
 */
const U48 = (1n << 48n) - 1n

type Checkpoint = { key: bigint; value: bigint }

const unpack = (word: bigint): Checkpoint => ({ key: word & U48, value: word >> 48n })
const pack = (c: Checkpoint): bigint => c.key | (c.value << 48n)

/** The genesis words of a trace with one checkpoint. */
export function checkpointGenesis(ctx: Pick<ModuleContext, 'keccak'>, slot: bigint, key: bigint, value: bigint): [bigint, bigint][] {
  return [
    [slot, 1n],
    [arraySlot(ctx, slot), pack({ key, value })],
  ]
}

/** The latest checkpoint, or undefined when the trace is empty. */
export async function latestCheckpoint(ctx: ModuleContext, slot: bigint): Promise<Checkpoint | undefined> {
  const length = await ctx.sload(slot)
  if (length === 0n) return undefined
  return unpack(await ctx.sload(arraySlot(ctx, slot) + length - 1n))
}

/**
 * Push (key, value): a checkpoint at the latest key is overwritten, a later key appends. Keys
 * are clock values, which never go back, so OZ's CheckpointUnorderedInsertion cannot occur.
 */
export async function pushCheckpoint(ctx: ModuleContext, slot: bigint, key: bigint, value: bigint): Promise<void> {
  const length = await ctx.sload(slot)
  const data = arraySlot(ctx, slot)
  if (length > 0n) {
    const last = unpack(await ctx.sload(data + length - 1n))
    if (last.key === key) {
      await ctx.sstore(data + length - 1n, pack({ key, value }))
      return
    }
  }
  await ctx.sstore(data + length, pack({ key, value }))
  await ctx.sstore(slot, length + 1n)
}

/**
 * OZ's `_optimisticUpperLookupRecent`: the value of the last checkpoint with key <= `key`
 * (0 before the first), checking the latest first since lookups are almost always recent.
 */
export async function checkpointAt(ctx: ModuleContext, slot: bigint, key: bigint): Promise<bigint> {
  const length = await ctx.sload(slot)
  if (length === 0n) return 0n
  const data = arraySlot(ctx, slot)
  const latest = unpack(await ctx.sload(data + length - 1n))
  if (latest.key <= key) return latest.value
  // binary search for the first checkpoint with key > `key` among the others
  let low = 0n
  let high = length - 1n
  while (low < high) {
    const mid = (low + high) / 2n
    if (unpack(await ctx.sload(data + mid)).key > key) high = mid
    else low = mid + 1n
  }
  return high === 0n ? 0n : unpack(await ctx.sload(data + high - 1n)).value
}
