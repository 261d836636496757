import type { Common, StateManagerInterface } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import { Account, type Address, KECCAK256_NULL, KECCAK256_RLP, createAccountFromRLP, equalsBytes, hexToBytes, unpadBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { CachedTrie, toHexKey } from './trie/cachedTrie.ts'
import type { Keccak, TrieNodeStore, TrieWrite } from './trie/cachedTrie.ts'

/** Options of {@link FlatStateManager}. */
export type FlatStateManagerOptions = {
  common: Common
  /** trie node and code store (@ethereumjs/mpt layout: hex node hash -> RLP, 'c'+codeHash -> code) */
  db: TrieNodeStore
  /** state root to open (it must be in `db`); default: the empty trie */
  stateRoot?: Uint8Array
  /**
   * Decoded trie nodes and cached account/slot values kept between blocks; past this many
   * (counted after each state-root computation) they are dropped and reloaded on demand.
   */
  cacheLimit: number
}

/** Defaults of {@link FlatStateManagerOptions}. */
export const defaultFlatStateManagerOptions = {
  // about 100 MB of decoded nodes and values at ~200 bytes each
  cacheLimit: 500_000,
} as const

// 'c' + codeHash: @ethereumjs/statemanager's code key (prefixCodeHashes), in the node store
const CODE_KEY_PREFIX = '63'
const EMPTY = new Uint8Array(0)

/** A storage overlay of one account: slots written since the last state root, and whether its storage was wiped first. */
type SlotOverlay = { cleared: boolean; slots: Map<string, Uint8Array> }

// Undo records of the checkpoint journal: the overlay entry before a change (undefined = absent).
const UNDO = { ACCOUNT: 0, SLOT: 1, STORAGE: 2, CODE: 3 } as const
type Undo =
  | { kind: typeof UNDO.ACCOUNT; address: string; prev: Account | null | undefined }
  | { kind: typeof UNDO.SLOT; address: string; slot: string; prev: Uint8Array | undefined }
  | { kind: typeof UNDO.STORAGE; address: string; prev: SlotOverlay | undefined }
  | { kind: typeof UNDO.CODE; address: string; prev: Uint8Array | undefined }

const copyAccount = (a: Account): Account => new Account(a.nonce, a.balance, a.storageRoot, a.codeHash)

// Map keys of addresses and slots: the raw bytes as a binary string (one char per byte). About
// 4x cheaper to build than hex and reversible ({@link keyBytes}); never leaves this module.
const keyOf = (bytes: Uint8Array): string => String.fromCharCode.apply(null, bytes as unknown as number[])
function keyBytes(key: string): Uint8Array {
  const out = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) out[i] = key.charCodeAt(i)
  return out
}

/**
 * The original (pre-transaction) storage values the EVM asks for in SSTORE gas (EIP-2200):
 * the first read of a slot in a tx is remembered until `clear()`, which runTx calls after each
 * tx. Same behaviour as @ethereumjs/statemanager's OriginalStorageCache.
 */
class OriginalStorage {
  #map = new Map<string, Map<string, Uint8Array>>()
  readonly #read: (address: Address, key: Uint8Array) => Promise<Uint8Array>

  constructor(read: (address: Address, key: Uint8Array) => Promise<Uint8Array>) {
    this.#read = read
  }

  async get(address: Address, key: Uint8Array): Promise<Uint8Array> {
    const a = keyOf(address.bytes)
    const s = keyOf(key)
    let slots = this.#map.get(a)
    const known = slots?.get(s)
    if (known !== undefined) return known
    const value = await this.#read(address, key)
    if (slots === undefined) {
      slots = new Map()
      this.#map.set(a, slots)
    }
    slots.set(s, value)
    return value
  }

  clear(): void {
    if (this.#map.size > 0) this.#map = new Map()
  }
}

/**
 * The base state of a {@link FlatStateManager}: values and decoded trie nodes read at one state
 * root. Managers made by {@link FlatStateManager.fork} share it (a read fills it for all of them;
 * every entry is a value at that root, so sharing never mixes states); writes never go into it
 * except by the owning manager's state-root promotion.
 */
class FlatBase {
  readonly accountTrie: CachedTrie
  readonly storageTries = new Map<string, CachedTrie>()
  readonly accounts = new Map<string, Account | null>()
  readonly storage = new Map<string, Map<string, Uint8Array>>()
  /** contract code by code hash (content-addressed, valid for every root) */
  readonly codeByHash: Map<string, Uint8Array>

  constructor(accountTrie: CachedTrie, codeByHash: Map<string, Uint8Array> = new Map()) {
    this.accountTrie = accountTrie
    this.codeByHash = codeByHash
  }

  /** values and decoded nodes held */
  get held(): number {
    let held = this.accounts.size + this.codeByHash.size + this.accountTrie.heldNodes
    for (const slots of this.storage.values()) held += slots.size
    for (const trie of this.storageTries.values()) held += trie.heldNodes
    return held
  }
}

/**
 * A StateManagerInterface for block execution that keeps the block's changes in flat maps and
 * touches the Merkle Patricia tries only when the state root is asked for.
 *
 * - Reads: the change overlay, then values read earlier (kept across blocks), then the tries
 *   ({@link CachedTrie}: nodes decoded once and kept).
 * - Writes go to the overlay; checkpoint / commit / revert keep an undo journal (no copies of
 *   caches per checkpoint, no account re-serialisation per put).
 * - getStateRoot applies the overlay to the tries in one pass per trie (each storage trie, then
 *   the account trie), hashing each changed node once, writes those nodes and new contract
 *   code to `db`, and (outside checkpoints) makes the result the new base state.
 *
 * Nodes are ordinary @ethereumjs/mpt nodes in its storage layout (secure tries, code under
 * 'c' + codeHash), so a MerkleStateManager over the same `db` opens every root this one
 * produces (archive reads, eth_getProof). Roots equal MerkleStateManager's for the same
 * operations (tested on randomised sequences, and every block of the chain tests).
 *
 * @example
 * const sm = new FlatStateManager({ ...defaultFlatStateManagerOptions, common, db: stateDb, stateRoot })
 */
export class FlatStateManager implements StateManagerInterface {
  readonly common: Common
  readonly originalStorageCache: OriginalStorage
  readonly #db: TrieNodeStore
  readonly #keccak: Keccak
  readonly #cacheLimit: number

  // base: the state at #base.accountTrie.rootHash (shared with forks)
  #base: FlatBase
  /** a fork: its base is shared and read-only to it (state roots are computed, never promoted) */
  #forked = false

  // overlay: changes since the base (null = account deleted)
  #accounts = new Map<string, Account | null>()
  #storage = new Map<string, SlotOverlay>()
  #code = new Map<string, Uint8Array>()

  #journal: Undo[] = []
  #checkpoints: number[] = []

  constructor(options: FlatStateManagerOptions) {
    this.common = options.common
    this.#db = options.db
    this.#keccak = options.common.customCrypto.keccak256 ?? keccak_256
    this.#cacheLimit = options.cacheLimit
    this.#base = new FlatBase(new CachedTrie(this.#db, options.stateRoot ?? KECCAK256_RLP, this.#keccak))
    this.originalStorageCache = new OriginalStorage((address, key) => this.getStorage(address, key))
  }

  // ---- accounts

  async #account(a: string, address: Uint8Array): Promise<Account | null> {
    const changed = this.#accounts.get(a)
    if (changed !== undefined) return changed
    const known = this.#base.accounts.get(a)
    if (known !== undefined) return known
    const rlp = await this.#base.accountTrie.get(this.#keccak(address))
    const account = rlp === undefined ? null : createAccountFromRLP(rlp)
    this.#base.accounts.set(a, account)
    return account
  }

  async getAccount(address: Address): Promise<Account | undefined> {
    const account = await this.#account(keyOf(address.bytes), address.bytes)
    return account === null ? undefined : copyAccount(account)
  }

  #setAccount(a: string, account: Account | null): void {
    if (this.#checkpoints.length > 0) this.#journal.push({ kind: UNDO.ACCOUNT, address: a, prev: this.#accounts.get(a) })
    this.#accounts.set(a, account)
  }

  /** Store a copy of `account`; undefined removes the account (not its storage, as MerkleStateManager). */
  async putAccount(address: Address, account?: Account): Promise<void> {
    this.#setAccount(keyOf(address.bytes), account === undefined ? null : copyAccount(account))
  }

  async deleteAccount(address: Address): Promise<void> {
    const a = keyOf(address.bytes)
    this.#setAccount(a, null)
    this.#setStorage(a, { cleared: true, slots: new Map() })
    this.#setCode(a, undefined)
  }

  async modifyAccountFields(address: Address, fields: Partial<Pick<Account, 'nonce' | 'balance' | 'storageRoot' | 'codeHash'>>): Promise<void> {
    const account = (await this.getAccount(address)) ?? new Account()
    account.nonce = fields.nonce ?? account.nonce
    account.balance = fields.balance ?? account.balance
    account.storageRoot = fields.storageRoot ?? account.storageRoot
    account.codeHash = fields.codeHash ?? account.codeHash
    this.#setAccount(keyOf(address.bytes), account)
  }

  // ---- code

  #setCode(a: string, code: Uint8Array | undefined): void {
    if (this.#checkpoints.length > 0) this.#journal.push({ kind: UNDO.CODE, address: a, prev: this.#code.get(a) })
    if (code === undefined) this.#code.delete(a)
    else this.#code.set(a, code)
  }

  async putCode(address: Address, value: Uint8Array): Promise<void> {
    const codeHash = this.#keccak(value)
    this.#base.codeByHash.set(keyOf(codeHash), value)
    this.#setCode(keyOf(address.bytes), value)
    if ((await this.getAccount(address)) === undefined) await this.putAccount(address, new Account())
    await this.modifyAccountFields(address, { codeHash })
  }

  /** The code at `address` (the same Uint8Array for the same code while cached: callers must not mutate it). */
  async getCode(address: Address): Promise<Uint8Array> {
    const a = keyOf(address.bytes)
    const put = this.#code.get(a)
    if (put !== undefined) return put
    const account = await this.#account(a, address.bytes)
    if (account === null || equalsBytes(account.codeHash, KECCAK256_NULL)) return EMPTY
    const hash = keyOf(account.codeHash)
    const known = this.#base.codeByHash.get(hash)
    if (known !== undefined) return known
    const stored = await this.#db.get(CODE_KEY_PREFIX + toHexKey(account.codeHash))
    const code = stored === undefined ? EMPTY : typeof stored === 'string' ? hexToBytes(`0x${stored}`) : stored
    if (stored !== undefined) this.#base.codeByHash.set(hash, code)
    return code
  }

  async getCodeSize(address: Address): Promise<number> {
    return (await this.getCode(address)).length
  }

  // ---- storage

  #setStorage(a: string, overlay: SlotOverlay): void {
    if (this.#checkpoints.length > 0) this.#journal.push({ kind: UNDO.STORAGE, address: a, prev: this.#storage.get(a) })
    this.#storage.set(a, overlay)
  }

  #storageTrie(a: string, storageRoot: Uint8Array): CachedTrie {
    let trie = this.#base.storageTries.get(a)
    if (trie === undefined) {
      trie = new CachedTrie(this.#db, storageRoot, this.#keccak)
      this.#base.storageTries.set(a, trie)
    }
    return trie
  }

  /** The slot's value without leading zeros (empty when unset). Callers must not mutate it. */
  async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    if (key.length !== 32) throw new Error('Storage key must be 32 bytes long')
    const a = keyOf(address.bytes)
    const s = keyOf(key)
    const overlay = this.#storage.get(a)
    if (overlay !== undefined) {
      const written = overlay.slots.get(s)
      if (written !== undefined) return written
      if (overlay.cleared) return EMPTY
    }
    let base = this.#base.storage.get(a)
    const known = base?.get(s)
    if (known !== undefined) return known
    const account = await this.#account(a, address.bytes)
    if (account === null) return EMPTY
    const raw = await this.#storageTrie(a, account.storageRoot).get(this.#keccak(key))
    const value = raw === undefined ? EMPTY : (RLP.decode(raw) as Uint8Array)
    if (base === undefined) {
      base = new Map()
      this.#base.storage.set(a, base)
    }
    base.set(s, value)
    return value
  }

  async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    if (key.length !== 32) throw new Error('Storage key must be 32 bytes long')
    if (value.length > 32) throw new Error('Storage value cannot be longer than 32 bytes')
    const a = keyOf(address.bytes)
    if ((await this.#account(a, address.bytes)) === null) throw new Error('putStorage() called on non-existing account')
    const s = keyOf(key)
    let overlay = this.#storage.get(a)
    if (overlay === undefined) {
      overlay = { cleared: false, slots: new Map() }
      this.#setStorage(a, overlay)
    }
    if (this.#checkpoints.length > 0) this.#journal.push({ kind: UNDO.SLOT, address: a, slot: s, prev: overlay.slots.get(s) })
    overlay.slots.set(s, unpadBytes(value))
  }

  /** Wipe the account's storage (creating the account if absent, as MerkleStateManager does). */
  async clearStorage(address: Address): Promise<void> {
    const account = (await this.getAccount(address)) ?? new Account()
    this.#setStorage(keyOf(address.bytes), { cleared: true, slots: new Map() })
    account.storageRoot = KECCAK256_RLP
    await this.putAccount(address, account)
  }

  // ---- checkpoints

  async checkpoint(): Promise<void> {
    this.#checkpoints.push(this.#journal.length)
  }

  async commit(): Promise<void> {
    this.#checkpoints.pop()
    if (this.#checkpoints.length === 0) {
      this.#journal.length = 0
      this.originalStorageCache.clear()
    }
  }

  async revert(): Promise<void> {
    const mark = this.#checkpoints.pop() ?? 0
    const journal = this.#journal
    for (let i = journal.length - 1; i >= mark; i--) {
      const undo = journal[i]!
      switch (undo.kind) {
        case UNDO.ACCOUNT:
          if (undo.prev === undefined) this.#accounts.delete(undo.address)
          else this.#accounts.set(undo.address, undo.prev)
          break
        case UNDO.SLOT: {
          const slots = this.#storage.get(undo.address)!.slots
          if (undo.prev === undefined) slots.delete(undo.slot)
          else slots.set(undo.slot, undo.prev)
          break
        }
        case UNDO.STORAGE:
          if (undo.prev === undefined) this.#storage.delete(undo.address)
          else this.#storage.set(undo.address, undo.prev)
          break
        case UNDO.CODE:
          if (undo.prev === undefined) this.#code.delete(undo.address)
          else this.#code.set(undo.address, undo.prev)
          break
      }
    }
    journal.length = mark
    if (this.#checkpoints.length === 0) this.originalStorageCache.clear()
  }

  // ---- roots

  /**
   * The state root of the current state. Applies the changes to the tries and writes the new
   * nodes and code to the store; outside checkpoints the result becomes the base state.
   */
  async getStateRoot(): Promise<Uint8Array> {
    if (this.#accounts.size === 0 && this.#storage.size === 0 && this.#code.size === 0) return this.#base.accountTrie.rootHash
    // inside a checkpoint the changes may still be reverted, and a fork never changes its shared
    // base: work on throw-away tries
    const inCheckpoint = this.#checkpoints.length > 0 || this.#forked
    const accountTrie = inCheckpoint ? new CachedTrie(this.#db, this.#base.accountTrie.rootHash, this.#keccak) : this.#base.accountTrie
    const storageTries = inCheckpoint ? new Map<string, CachedTrie>() : this.#base.storageTries
    const writes: TrieWrite[] = []
    const accounts = new Map(this.#accounts)

    for (const [a, overlay] of this.#storage) {
      const address = keyBytes(a)
      const account = await this.#account(a, address)
      if (account === null) continue // storage of a removed account goes with it
      let trie = storageTries.get(a)
      if (trie === undefined || overlay.cleared) {
        trie = new CachedTrie(this.#db, overlay.cleared ? KECCAK256_RLP : account.storageRoot, this.#keccak)
        storageTries.set(a, trie)
      }
      for (const [s, value] of overlay.slots) {
        const key = this.#keccak(keyBytes(s))
        if (value.length === 0) await trie.del(key)
        else await trie.put(key, RLP.encode(value))
      }
      const committed = trie.commit()
      for (const w of committed.writes) writes.push(w)
      if (!equalsBytes(committed.root, account.storageRoot)) {
        const updated = copyAccount(account)
        updated.storageRoot = committed.root
        accounts.set(a, updated)
      }
    }
    for (const [a, account] of accounts) {
      const key = this.#keccak(keyBytes(a))
      if (account === null) await accountTrie.del(key)
      else await accountTrie.put(key, account.serialize())
    }
    const { root, writes: accountWrites } = accountTrie.commit()
    for (const w of accountWrites) writes.push(w)
    for (const code of this.#code.values()) writes.push({ key: CODE_KEY_PREFIX + toHexKey(this.#keccak(code)), value: code })
    for (const w of writes) await this.#db.put(w.key, w.value)

    if (!inCheckpoint) this.#promote(accounts)
    return root
  }

  // The overlay (with updated storage roots) becomes the base state.
  #promote(accounts: Map<string, Account | null>): void {
    for (const [a, overlay] of this.#storage) {
      if (overlay.cleared) {
        this.#base.storage.set(a, overlay.slots)
        continue
      }
      const base = this.#base.storage.get(a)
      if (base === undefined) this.#base.storage.set(a, overlay.slots)
      else for (const [s, value] of overlay.slots) base.set(s, value)
    }
    for (const [a, account] of accounts) {
      this.#base.accounts.set(a, account)
      if (account === null) {
        this.#base.storage.delete(a)
        this.#base.storageTries.delete(a)
      }
    }
    this.#accounts = new Map()
    this.#storage = new Map()
    this.#code = new Map()
    if (this.#base.held > this.#cacheLimit) this.clearCaches()
  }

  #dropChanges(): void {
    this.#accounts = new Map()
    this.#storage = new Map()
    this.#code = new Map()
    this.#journal = []
    this.#checkpoints = []
    this.originalStorageCache.clear()
  }

  /**
   * Open `stateRoot`, dropping uncommitted changes. Values cached for the current base root are
   * kept when it is the same root.
   */
  async setStateRoot(stateRoot: Uint8Array, clearCache = true): Promise<void> {
    this.#dropChanges()
    if (equalsBytes(stateRoot, this.#base.accountTrie.rootHash)) return
    if (!(await this.hasStateRoot(stateRoot))) throw new Error('State trie does not contain state root')
    this.#base = new FlatBase(new CachedTrie(this.#db, stateRoot, this.#keccak))
    void clearCache // the caches always belong to the root they were read at
  }

  async hasStateRoot(root: Uint8Array): Promise<boolean> {
    if (equalsBytes(root, KECCAK256_RLP)) return true
    return (await this.#db.get(toHexKey(root))) !== undefined
  }

  /** Drop values and decoded nodes of the base state (they are reloaded on demand). */
  clearCaches(): void {
    this.#base = new FlatBase(new CachedTrie(this.#db, this.#base.accountTrie.rootHash, this.#keccak))
  }

  /** The secure-trie key of an address (preimage reporting). */
  getAppliedKey(address: Uint8Array): Uint8Array {
    return this.#keccak(address)
  }

  /** A fresh manager on the same store at the base root (uncommitted changes are not copied). */
  shallowCopy(): FlatStateManager {
    return new FlatStateManager({ common: this.common, db: this.#db, stateRoot: this.#base.accountTrie.rootHash, cacheLimit: this.#cacheLimit })
  }

  /**
   * A manager over this one's base state (shared, not copied: what either reads stays cached for
   * both) with an empty change overlay of its own, for simulations at this root: its writes,
   * checkpoints and state roots never reach the shared base or the store (a fork computes roots
   * on throw-away tries and writes nodes only to `db`, which callers give a private buffer).
   * Uncommitted changes of this manager are not seen by the fork.
   */
  fork(): FlatStateManager {
    const fork = new FlatStateManager({ common: this.common, db: this.#db, cacheLimit: this.#cacheLimit })
    fork.#base = this.#base
    fork.#forked = true
    return fork
  }

  /** Drop this fork's changes and share `source`'s base state instead (a fork moved to a new head). */
  adoptBase(source: FlatStateManager): void {
    this.#dropChanges()
    this.#base = source.#base
  }

  /** Values and decoded trie nodes held by the base state (what {@link FlatStateManagerOptions.cacheLimit} bounds). */
  get heldEntries(): number {
    return this.#base.held
  }

  /** The root of the base state (uncommitted changes not applied). */
  get baseRoot(): Uint8Array {
    return this.#base.accountTrie.rootHash
  }
}
