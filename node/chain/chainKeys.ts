import { bigIntToBytes, concatBytes, setLengthLeft, utf8ToBytes } from '@ethereumjs/util'

// One LevelDB, one-byte namespaces ('s' = state nodes, see node/db/stateDb.ts). Numbers are
// 8-byte big-endian so keys sort by block number.
const HEADER = 0x68 // 'h' + hash -> header RLP
const BLOCK = 0x62 // 'b' + hash -> block RLP
const CANONICAL = 0x6e // 'n' + number -> hash
const RECEIPTS = 0x72 // 'r' + hash -> receipts (receiptCodec)
const TX_INDEX = 0x74 // 't' + tx hash -> RLP [block hash, number, index]
const LOG_INDEX = 0x61 // 'a' + address + number + log index -> empty
const META = 0x6d // 'm' + name -> value

const one = (prefix: number, ...parts: Uint8Array[]): Uint8Array => concatBytes(new Uint8Array([prefix]), ...parts)

/** 8-byte big-endian block number. */
export const encodeNumber = (n: bigint): Uint8Array => setLengthLeft(bigIntToBytes(n), 8)

/** Storage keys of the chain. */
export const chainKeys = {
  header: (hash: Uint8Array) => one(HEADER, hash),
  block: (hash: Uint8Array) => one(BLOCK, hash),
  canonical: (number: bigint) => one(CANONICAL, encodeNumber(number)),
  receipts: (hash: Uint8Array) => one(RECEIPTS, hash),
  tx: (txHash: Uint8Array) => one(TX_INDEX, txHash),
  log: (address: Uint8Array, number: bigint, logIndex: number) =>
    one(LOG_INDEX, address, encodeNumber(number), setLengthLeft(bigIntToBytes(BigInt(logIndex)), 4)),
  /** range start of an address's log entries from block `number` (inclusive) */
  logFrom: (address: Uint8Array, number: bigint) => one(LOG_INDEX, address, encodeNumber(number)),
  /** head block hash */
  head: one(META, utf8ToBytes('head')),
  /** genesis block hash */
  genesis: one(META, utf8ToBytes('genesis')),
  /** chainIdentity(spec, genesis hash) the datadir was created with */
  identity: one(META, utf8ToBytes('identity')),
  /** storage layout version */
  schema: one(META, utf8ToBytes('schema')),
} as const

/** Storage layout version written at init; a different one is refused. */
export const SCHEMA_VERSION = 1
