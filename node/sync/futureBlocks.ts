import type { CheckedBlock } from './blockImporter.ts'

/** A gossiped block above head + 1, its seal checked, waiting for its parent. */
export type FutureBlock = { checked: CheckedBlock; from: string }

/**
 * A small bounded buffer of future gossip blocks by number (seal checked before they enter).
 * When full, a lower number evicts the highest (the nearest blocks are the ones that import next;
 * range sync brings the rest). Numbers at or below the head are pruned.
 */
export class FutureBlocks {
  readonly #capacity: number
  readonly #byNumber = new Map<bigint, FutureBlock>()

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get size(): number {
    return this.#byNumber.size
  }

  /** Keep `entry` unless one with its number is held or it is above every held block of a full buffer; true when kept. */
  add(entry: FutureBlock): boolean {
    const number = entry.checked.number
    if (this.#byNumber.has(number) || this.#capacity <= 0) return false
    if (this.#byNumber.size >= this.#capacity) {
      const highest = this.#highest()
      if (highest === undefined || number >= highest) return false
      this.#byNumber.delete(highest)
    }
    this.#byNumber.set(number, entry)
    return true
  }

  /** Remove and return the block with this number, if held. */
  take(number: bigint): FutureBlock | undefined {
    const entry = this.#byNumber.get(number)
    if (entry !== undefined) this.#byNumber.delete(number)
    return entry
  }

  /** Drop every block numbered at or below `head`. */
  prune(head: bigint): void {
    for (const number of this.#byNumber.keys()) if (number <= head) this.#byNumber.delete(number)
  }

  #highest(): bigint | undefined {
    let highest: bigint | undefined
    for (const number of this.#byNumber.keys()) if (highest === undefined || number > highest) highest = number
    return highest
  }
}
