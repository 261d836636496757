import { Level } from 'level'

/** The node's one LevelDB: byte keys, byte values (chain, indexes and state nodes under key prefixes). */
export type Database = Level<Uint8Array, Uint8Array>

/** One write of an atomic batch. */
export type DbOperation = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array }

/**
 * Open (creating if absent) the LevelDB at `path` with `view` (Uint8Array) key and value
 * encodings, so nothing is hex-converted on the hot path.
 *
 * @example
 * const db = await openDatabase(join(datadir, 'chaindata'))
 */
export async function openDatabase(path: string): Promise<Database> {
  const db = new Level<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' })
  await db.open()
  return db
}

/**
 * A stored value as a plain Uint8Array view (no copy): classic-level hands out Buffers, and callers
 * compare and deep-equal plain Uint8Arrays.
 */
export function plainBytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
}

/** Read a key; undefined when absent (abstract-level 3 returns undefined rather than throwing). */
export async function dbGet(db: Database, key: Uint8Array): Promise<Uint8Array | undefined> {
  const value = (await db.get(key)) as Uint8Array | undefined
  return value === undefined ? undefined : plainBytes(value)
}

/**
 * Read many keys in one call (one trip to LevelDB's thread, not one per key); undefined where
 * absent, in the order of `keys`.
 */
export async function dbGetMany(db: Database, keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
  const values = (await db.getMany(keys)) as (Uint8Array | undefined)[]
  return values.map((v) => (v === undefined ? undefined : plainBytes(v)))
}
