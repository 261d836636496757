import { arraySlot } from './slots.ts'
import type { ModuleContext, ModuleStorage } from './types.ts'

/** One checkpoint: from clock `key` on, the value is `value` (OpenZeppelin's Checkpoint208). */
export type Checkpoint208 = { _key: number; _value: bigint }

const KEY_BITS = 48n
const KEY_MASK = (1n << KEY_BITS) - 1n

/** The storage word of a checkpoint, as Solidity packs the struct: `_key` in the low 48 bits, `_value` above. */
export function packCheckpoint(key: bigint, value: bigint): bigint {
  return (value << KEY_BITS) | key
}

function unpack(word: bigint): { key: bigint; value: bigint } {
  return { key: word & KEY_MASK, value: word >> KEY_BITS }
}

/** floor(sqrt(n)); n is a checkpoint count (< 2^32), where the double result is exact. */
const isqrt = (n: bigint): bigint => BigInt(Math.floor(Math.sqrt(Number(n))))

/**
 * OpenZeppelin's Checkpoints.Trace208 in a module's storage: a Solidity dynamic array at `slot`
 * (length there, packed checkpoints from keccak256(slot)), so each read or write costs the
 * SLOAD / SSTORE the Solidity library makes.
 */
export type Trace208 = {
  length(): Promise<bigint>
  /** the last value (0 when empty) */
  latest(): Promise<bigint>
  /** set the value from `key` on to next(latest): overwrite the last checkpoint if it has `key`, else append; returns [old, new] */
  push(key: bigint, next: (latest: bigint) => bigint): Promise<[bigint, bigint]>
  /** the value at `key` (the last checkpoint with a key <= `key`), searching the recent end first as upperLookupRecent does */
  upperLookupRecent(key: bigint): Promise<bigint>
  /**
   * The value at `key`, trying the latest checkpoint before upperLookupRecent, as OZ's
   * GovernorVotesQuorumFraction.quorumNumerator(timepoint) does (lookups are almost always recent)
   */
  latestFirstLookup(key: bigint): Promise<bigint>
  /** the checkpoint at `pos` (< length) */
  at(pos: bigint): Promise<Checkpoint208>
}

/** The storage words of a trace holding one checkpoint (genesis: no frame, an unmetered hasher). */
export function traceGenesisWords(hasher: Pick<ModuleContext, 'keccak'>, slot: bigint, key: bigint, value: bigint): Array<[bigint, bigint]> {
  return [
    [slot, 1n],
    [arraySlot(hasher, slot), packCheckpoint(key, value)],
  ]
}

/** The {@link Trace208} stored at `slot` of `storage`. */
export function openTrace(ctx: Pick<ModuleContext, 'keccak'>, storage: ModuleStorage, slot: bigint): Trace208 {
  let data: bigint | undefined
  const read = async (pos: bigint) => {
    data ??= arraySlot(ctx, slot)
    return unpack(await storage.sload(data + pos))
  }
  const write = async (pos: bigint, key: bigint, value: bigint) => {
    data ??= arraySlot(ctx, slot)
    await storage.sstore(data + pos, packCheckpoint(key, value))
  }
  return {
    length: () => storage.sload(slot),
    async latest() {
      const length = await storage.sload(slot)
      return length === 0n ? 0n : (await read(length - 1n)).value
    },
    async push(key, next) {
      const length = await storage.sload(slot)
      const last = length === 0n ? undefined : await read(length - 1n)
      const old = last?.value ?? 0n
      const value = next(old)
      // block timestamps never decrease; a smaller key is a broken invariant, not bad input
      if (last !== undefined && last.key > key) throw new RangeError(`checkpoint key ${key} is below the last key ${last.key}`)
      if (last !== undefined && last.key === key) {
        await write(length - 1n, key, value)
      } else {
        await storage.sstore(slot, length + 1n)
        await write(length, key, value)
      }
      return [old, value]
    },
    async upperLookupRecent(key) {
      const length = await storage.sload(slot)
      let low = 0n
      let high = length
      if (length > 5n) {
        const mid = length - isqrt(length)
        if (key < (await read(mid)).key) high = mid
        else low = mid + 1n
      }
      while (low < high) {
        const mid = (low + high) / 2n
        if ((await read(mid)).key > key) high = mid
        else low = mid + 1n
      }
      return high === 0n ? 0n : (await read(high - 1n)).value
    },
    async latestFirstLookup(key) {
      const length = await storage.sload(slot)
      if (length === 0n) return 0n
      const latest = await read(length - 1n)
      return latest.key <= key ? latest.value : this.upperLookupRecent(key)
    },
    async at(pos) {
      const { key, value } = await read(pos)
      return { _key: Number(key), _value: value }
    },
  }
}
