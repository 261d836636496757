import type { Common } from '@ethereumjs/common'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { MapDB, ValueEncoding } from '@ethereumjs/util'
import type { DB } from '@ethereumjs/util'

/** The trie node store: the node's LevelDB adapter, or an in-memory MapDB. */
export type StateNodeDb = DB<string, string | Uint8Array>

/** Options of {@link createStateManager}. */
export type StateManagerOptions = {
  common: Common
  /** trie node store; default: a fresh in-memory MapDB */
  stateDb?: StateNodeDb
  /** open at this root (it must exist in stateDb); default: the empty trie */
  stateRoot?: Uint8Array
  /** MPT node LRU of the account trie (0 = off) */
  trieCacheSize: number
}

/**
 * A MerkleStateManager with account/storage/code caches over a secure (key-hashed) trie with
 * byte values in `stateDb`, hashing with the Common's customCrypto. Used for the chain's VM and
 * for archive views (stateAt).
 *
 * @example
 * const sm = createStateManager({ common, stateDb: view, stateRoot: header.stateRoot, trieCacheSize: 0 })
 */
export function createStateManager(options: StateManagerOptions): MerkleStateManager {
  const trie = new MerklePatriciaTrie({
    db: options.stateDb ?? new MapDB<string, string | Uint8Array>(),
    useKeyHashing: true,
    valueEncoding: ValueEncoding.Bytes,
    cacheSize: options.trieCacheSize,
    common: options.common,
    ...(options.stateRoot !== undefined ? { root: options.stateRoot } : {}),
  })
  return new MerkleStateManager({ trie, common: options.common, caches: new Caches() })
}
