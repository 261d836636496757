/**
 * A bounded least-recently-used map (Map keeps insertion order: a hit re-inserts the key, the
 * oldest key is evicted first). Used for trie nodes, which are immutable by hash, so a cached
 * value never goes stale.
 */
export class NodeCache<V> {
  readonly #max: number
  readonly #map = new Map<string, V>()

  constructor(maxEntries: number) {
    this.#max = maxEntries
  }

  get size(): number {
    return this.#map.size
  }

  get(key: string): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  set(key: string, value: V): void {
    if (this.#max <= 0) return
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next()
      if (oldest.done !== true) this.#map.delete(oldest.value)
    }
  }

  delete(key: string): void {
    this.#map.delete(key)
  }

  clear(): void {
    this.#map.clear()
  }
}
