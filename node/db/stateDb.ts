import type { BatchDBOp, DB, EncodingOpts } from '@ethereumjs/util'
import { bytesToUnprefixedHex, hexToBytes } from '@ethereumjs/util'
import type { Database, DbOperation } from './openDatabase.ts'
import { dbGet } from './openDatabase.ts'
import { NodeCache } from './nodeCache.ts'
import { TRIE_NODE_KEY_LENGTH, reachablePendingNodes } from './reachableNodes.ts'

/** Key prefix of state entries (trie nodes and contract code) in the node's LevelDB. */
export const STATE_KEY_PREFIX = new Uint8Array([0x73]) // 's' (also hard-coded in toDbKey)

/** Options of {@link createStateDb}. */
export type StateDbOptions = {
  /**
   * Trie node LRU entries, shared by the account trie and every storage trie (the MPT's own
   * cacheSize reaches only the account trie, specs/ethereumjs.md §2.4). A 200k-node LRU won about
   * 20% on the ERC-20 block (specs/ethereumjs.md §3.2).
   */
  cacheSize: number
}

/** Defaults of {@link StateDbOptions}. */
export const defaultStateDbOptions: StateDbOptions = { cacheSize: 200_000 }

// What every shallow copy of one StateDb shares: LevelDB, the pending writes, the node cache.
type Core = {
  db: Database
  /** unprefixed hex key -> value, or null for a delete; insertion-ordered */
  pending: Map<string, Uint8Array | null>
  /** a read-only view also reads its parent's pending writes (nodes of a block being built) */
  parentPending?: Map<string, Uint8Array | null>
  cache: NodeCache<Uint8Array>
  /** the writes the last takeOperations returned (markCommitted caches these) */
  taken?: [string, Uint8Array | null][]
}

// one native hex decode per key (the trie's keys are unprefixed hex; 10k+ per big block)
const toDbKey = (hexKey: string): Uint8Array => Buffer.from(`73${hexKey}`, 'hex')

/**
 * @ethereumjs/util DB over the node's LevelDB for the state trie (MPT nodes and contract code).
 * Writes are held in a pending buffer, never written on their own: the chain takes them with
 * {@link StateDb.takeOperations} into the block's one atomic batch, then calls
 * {@link StateDb.markCommitted}; a failed block calls {@link StateDb.discardPending}.
 * Reads see pending writes first, then the node cache, then LevelDB.
 *
 * The trie's keys are unprefixed hex strings; they are stored as bytes under the 's' prefix.
 * Values are stored as bytes whatever the requested encoding ("string" values are hex).
 */
export class StateDb implements DB<string, string | Uint8Array> {
  readonly #core: Core
  readonly #readOnlyView: boolean

  constructor(core: Core, readOnlyView: boolean) {
    this.#core = core
    this.#readOnlyView = readOnlyView
  }

  /** number of buffered writes not yet committed */
  get pendingCount(): number {
    return this.#core.pending.size
  }

  async open(): Promise<void> {
    // the LevelDB is opened by the chain
  }

  async get(key: string, opts?: EncodingOpts): Promise<string | Uint8Array | undefined> {
    const value = await this.#getBytes(key)
    if (value === undefined) return undefined
    return opts?.valueEncoding === 'string' ? bytesToUnprefixedHex(value) : value
  }

  async #getBytes(key: string): Promise<Uint8Array | undefined> {
    const core = this.#core
    const pending = core.pending.get(key) ?? core.parentPending?.get(key)
    if (pending !== undefined) return pending ?? undefined
    const cached = core.cache.get(key)
    if (cached !== undefined) return cached
    const value = await dbGet(core.db, toDbKey(key))
    if (value !== undefined) core.cache.set(key, value)
    return value
  }

  async put(key: string, value: string | Uint8Array): Promise<void> {
    this.#core.pending.set(key, typeof value === 'string' ? hexToBytes(`0x${value}`) : value)
  }

  async del(key: string): Promise<void> {
    this.#core.pending.set(key, null)
  }

  async batch(ops: BatchDBOp<string, string | Uint8Array>[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') await this.put(op.key, op.value as string | Uint8Array)
      else await this.del(op.key)
    }
  }

  /**
   * Another handle on the same store. The MPT calls this for every storage trie, so it must share
   * the pending buffer (a view made by {@link readOnlyView} shares its own private buffer).
   */
  shallowCopy(): StateDb {
    return new StateDb(this.#core, this.#readOnlyView)
  }

  /**
   * A view for archive reads and calls (eth_call on an old state): it reads committed state
   * (and this store's pending writes, which are content-addressed nodes, so harmless), and its
   * own writes go to a private buffer that is never persisted.
   */
  readOnlyView(): StateDb {
    const core = this.#core
    const view: Core = { db: core.db, cache: core.cache, pending: new Map(), parentPending: core.pending }
    return new StateDb(view, true)
  }

  /**
   * The buffered writes as LevelDB batch operations (prefixed byte keys), in write order.
   * Given the block's `stateRoot`, trie nodes that no longer matter are left out: those written
   * during the block but unreachable from `stateRoot` (intermediate versions the eager MPT hashed
   * on the way, about 5 in 6 of an ERC-20 block's node writes; see reachablePendingNodes).
   * Contract code and deletes are always kept. Without `stateRoot` (genesis) everything is kept.
   */
  takeOperations(stateRoot?: Uint8Array): DbOperation[] {
    if (this.#readOnlyView) return []
    const core = this.#core
    const reachable = stateRoot === undefined ? undefined : reachablePendingNodes(stateRoot, core.pending)
    const taken: [string, Uint8Array | null][] = []
    const ops: DbOperation[] = []
    for (const [key, value] of core.pending) {
      if (reachable !== undefined && value !== null && key.length === TRIE_NODE_KEY_LENGTH && !reachable.has(key)) continue
      taken.push([key, value])
      ops.push(value === null ? { type: 'del', key: toDbKey(key) } : { type: 'put', key: toDbKey(key), value })
    }
    core.taken = taken
    return ops
  }

  /** The batch holding the taken writes is on disk: move them into the node cache. */
  markCommitted(): void {
    const core = this.#core
    for (const [key, value] of core.taken ?? core.pending) {
      if (value === null) core.cache.delete(key)
      else core.cache.set(key, value)
    }
    core.pending.clear()
    core.taken = undefined
  }

  /** Drop the pending writes (the block they belonged to failed). */
  discardPending(): void {
    this.#core.pending.clear()
    this.#core.taken = undefined
  }
}

/**
 * The state trie's node store over `db` (see {@link StateDb}).
 *
 * @example
 * const stateDb = createStateDb(db, defaultStateDbOptions)
 * const runtime = await createRuntimeVm({ ...defaultRuntimeVmOptions, spec, common, chain, stateDb, stateRoot })
 */
export function createStateDb(db: Database, options: StateDbOptions = defaultStateDbOptions): StateDb {
  return new StateDb({ db, pending: new Map(), cache: new NodeCache(options.cacheSize) }, false)
}
