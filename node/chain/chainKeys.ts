import { bigIntToBytes, concatBytes, setLengthLeft, utf8ToBytes } from '@ethereumjs/util'

// One LevelDB, one-byte namespaces ('s' = state nodes, see node/db/stateDb.ts). Numbers are
// 8-byte big-endian so keys sort by block number.
const HEADER = 0x68 // 'h' + hash -> header RLP
const BLOCK = 0x62 // 'b' + hash -> block RLP
const CANONICAL = 0x6e // 'n' + number -> hash
const RECEIPTS = 0x72 // 'r' + hash -> receipts (receiptCodec)
const TX_INDEX = 0x74 // 't' + tx hash -> RLP [block hash, number, index]
const LOG_INDEX = 0x61 // 'a' + address + number + log index -> block stamp (logBlockCodec; empty before schema 2)
const LOG_BLOCK = 0x6c // 'l' + number -> hash, timestamp, logs bloom of a block with logs (logBlockCodec)
const SEAL = 0x67 // 'g' + hash -> the sequencer's 65-byte seal of the block (node/sync blockSeal; genesis has none)
const META = 0x6d // 'm' + name -> value

const one = (prefix: number, ...parts: Uint8Array[]): Uint8Array => concatBytes(new Uint8Array([prefix]), ...parts)

/** 8-byte big-endian block number (its low 64 bits). */
export const encodeNumber = (n: bigint): Uint8Array => {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, n)
  return out
}

// prefix + number written in place: a log query builds one key per block, and bigIntToBytes goes
// through a hex string (0.9 ms for 1,000 keys, measured on the log bench)
const numbered = (prefix: number, n: bigint): Uint8Array => {
  const key = new Uint8Array(9)
  key[0] = prefix
  new DataView(key.buffer).setBigUint64(1, n)
  return key
}

/** Storage keys of the chain. */
export const chainKeys = {
  header: (hash: Uint8Array) => one(HEADER, hash),
  block: (hash: Uint8Array) => one(BLOCK, hash),
  canonical: (number: bigint) => numbered(CANONICAL, number),
  receipts: (hash: Uint8Array) => one(RECEIPTS, hash),
  tx: (txHash: Uint8Array) => one(TX_INDEX, txHash),
  log: (address: Uint8Array, number: bigint, logIndex: number) =>
    one(LOG_INDEX, address, encodeNumber(number), setLengthLeft(bigIntToBytes(BigInt(logIndex)), 4)),
  /** range start of an address's log entries from block `number` (inclusive) */
  logFrom: (address: Uint8Array, number: bigint) => one(LOG_INDEX, address, encodeNumber(number)),
  /** hash, timestamp and logs bloom of canonical block `number`, present only if the block has logs */
  logBlock: (number: bigint) => numbered(LOG_BLOCK, number),
  /** the sequencer's seal of a block (r ‖ s ‖ v over chainId and hash), written in the block's batch */
  seal: (hash: Uint8Array) => one(SEAL, hash),
  /** head block hash */
  head: one(META, utf8ToBytes('head')),
  /** genesis block hash */
  genesis: one(META, utf8ToBytes('genesis')),
  /** chainIdentity(spec, genesis hash) the datadir was created with */
  identity: one(META, utf8ToBytes('identity')),
  /** storage layout version */
  schema: one(META, utf8ToBytes('schema')),
  /** 8-byte number: every block from it on has its 'l' entry if it has logs (blocks before it: read headers) */
  logBlocksFrom: one(META, utf8ToBytes('logBlocksFrom')),
} as const

/**
 * Storage layout version written at init; others are refused, but for 1, upgraded in place on
 * open. 2 added the log block entries ('l') and the address index values (block stamps). A version
 * 1 datadir is raised to 2 in one write that records `logBlocksFrom` = the block after its head;
 * log queries read the headers of earlier blocks. The bump keeps a version 1 build off an upgraded
 * datadir: it would commit blocks with logs but without entries, and topic-only queries would
 * miss them.
 */
export const SCHEMA_VERSION = 2

/** The earlier layout that opens and is upgraded in place (see {@link SCHEMA_VERSION}). */
export const SCHEMA_VERSION_WITHOUT_LOG_BLOCKS = 1
