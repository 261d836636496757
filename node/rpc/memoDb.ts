import type { BatchDBOp, DB, EncodingOpts } from '@ethereumjs/util'

type Value = string | Uint8Array

/**
 * Read memo shared by the RPC's simulated-call VMs. Trie nodes and code are content-addressed
 * (the key is the hash of the value), so a remembered read never goes stale, across heads too.
 * Hits resolve without touching LevelDB; the map is bounded and cleared when full.
 */
export class ReadMemo {
  readonly #map = new Map<string, Value>()
  readonly #max: number

  constructor(maxEntries: number) {
    this.#max = maxEntries
  }

  get(key: string): Value | undefined {
    return this.#map.get(key)
  }

  set(key: string, value: Value): void {
    if (this.#map.size >= this.#max) this.#map.clear()
    this.#map.set(key, value)
  }

  delete(key: string): void {
    this.#map.delete(key)
  }

  /** A DB over `inner` whose reads go through this memo. */
  wrap(inner: DB<string, Value>): DB<string, Value> {
    return new MemoDb(inner, this)
  }
}

class MemoDb implements DB<string, Value> {
  readonly #inner: DB<string, Value>
  readonly #memo: ReadMemo

  constructor(inner: DB<string, Value>, memo: ReadMemo) {
    this.#inner = inner
    this.#memo = memo
  }

  async get(key: string, opts?: EncodingOpts): Promise<Value | undefined> {
    const k = opts?.valueEncoding === 'string' ? 's' + key : key
    const hit = this.#memo.get(k)
    if (hit !== undefined) return hit
    const value = await this.#inner.get(key, opts)
    if (value !== undefined) this.#memo.set(k, value)
    return value
  }

  async put(key: string, val: Value, opts?: EncodingOpts): Promise<void> {
    this.#memo.delete(key)
    this.#memo.delete('s' + key)
    await this.#inner.put(key, val, opts)
  }

  async del(key: string, opts?: EncodingOpts): Promise<void> {
    this.#memo.delete(key)
    this.#memo.delete('s' + key)
    await this.#inner.del(key, opts)
  }

  async batch(ops: BatchDBOp<string, Value>[]): Promise<void> {
    for (const op of ops) {
      this.#memo.delete(op.key)
      this.#memo.delete('s' + op.key)
    }
    await this.#inner.batch(ops)
  }

  shallowCopy(): DB<string, Value> {
    return new MemoDb(this.#inner.shallowCopy(), this.#memo)
  }

  async open(): Promise<void> {
    await this.#inner.open()
  }
}
