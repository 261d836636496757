import { bigIntToUnpaddedBytes, bytesToBigInt } from '@ethereumjs/util'
import { decodeRlp } from '../../runtime/index.ts'

/** Bytes of a block hash. */
const HASH_LENGTH = 32
/** Bytes of a logs bloom (2048 bits). */
const BLOOM_LENGTH = 256

/** The block fields every log of eth_getLogs carries: hash and timestamp. */
export type BlockStamp = {
  hash: Uint8Array
  timestamp: bigint
}

/**
 * What a log query needs of a block with logs, stored per block number beside the block
 * ('l' + number, chainKeys.logBlock; a block without logs has none): a topic-only query reads the
 * entries of its range with one LevelDB iterator and meets only blocks with logs, instead of a
 * canonical-hash get and a header decode per block.
 */
export type LogBlock = BlockStamp & { logsBloom: Uint8Array }

/**
 * Stored form of a {@link BlockStamp}, the value of each address log index entry ('a'): hash (32) |
 * timestamp length (1) | timestamp (big-endian, unpadded). An address query then needs no read
 * per block besides its receipts. Fixed offsets rather than RLP: a query decodes one per log. The
 * timestamp keeps a length because nothing bounds a header's timestamp to 64 bits.
 */
export function encodeBlockStamp(b: BlockStamp): Uint8Array {
  return encodeStamp(b, 0)
}

/** Stored form of a {@link LogBlock}: its {@link encodeBlockStamp} bytes, then the logs bloom (256). */
export function encodeLogBlock(b: LogBlock): Uint8Array {
  const out = encodeStamp(b, BLOOM_LENGTH)
  out.set(b.logsBloom, out.length - BLOOM_LENGTH)
  return out
}

function encodeStamp(b: BlockStamp, room: number): Uint8Array {
  const timestamp = bigIntToUnpaddedBytes(b.timestamp)
  const out = new Uint8Array(HASH_LENGTH + 1 + timestamp.length + room)
  out.set(b.hash, 0)
  out[HASH_LENGTH] = timestamp.length
  out.set(timestamp, HASH_LENGTH + 1)
  return out
}

/** Inverse of {@link encodeBlockStamp}; the hash is a view into `encoded`. Throws TypeError on a damaged encoding. */
export function decodeBlockStamp(encoded: Uint8Array): BlockStamp {
  return decodeStamp(encoded, 0)
}

/** Inverse of {@link encodeLogBlock}; hash and bloom are views into `encoded`. Throws TypeError on a damaged encoding. */
export function decodeLogBlock(encoded: Uint8Array): LogBlock {
  const stamp = decodeStamp(encoded, BLOOM_LENGTH)
  return { hash: stamp.hash, timestamp: stamp.timestamp, logsBloom: encoded.subarray(encoded.length - BLOOM_LENGTH) }
}

// a stamp followed by exactly `room` more bytes
function decodeStamp(encoded: Uint8Array, room: number): BlockStamp {
  const length = encoded[HASH_LENGTH]
  const end = HASH_LENGTH + 1 + (length ?? 0)
  if (length === undefined || encoded.length !== end + room) throw new TypeError('block stamp has a bad length')
  // up to 6 bytes exactly in a double, without bytesToBigInt's hex round trip
  let timestamp: bigint
  if (length <= 6) {
    let n = 0
    for (let i = HASH_LENGTH + 1; i < end; i++) n = n * 256 + encoded[i]!
    timestamp = BigInt(n)
  } else {
    timestamp = bytesToBigInt(encoded.subarray(HASH_LENGTH + 1, end))
  }
  return { hash: encoded.subarray(0, HASH_LENGTH), timestamp }
}

/** Positions in a header's RLP list (yellow paper 4.3). */
const HEADER_FIELD = { logsBloom: 6, timestamp: 11 } as const

/**
 * The {@link LogBlock} of a stored header (RLP) for a block committed without an entry, or
 * undefined when its bloom is empty (every log sets its address's bits, so the block has no logs).
 * Two fields read by position: building a BlockHeader was 21% of a log query's CPU profile (its
 * constructor merges the chain's parameters). Throws TypeError on a damaged encoding.
 */
export function logBlockOfHeader(hash: Uint8Array, headerRlp: Uint8Array): LogBlock | undefined {
  const fields = decodeRlp(headerRlp)
  if (!Array.isArray(fields) || fields.length <= HEADER_FIELD.timestamp) throw new TypeError('header must be an RLP list of at least 12 fields')
  const logsBloom = fields[HEADER_FIELD.logsBloom]
  const timestamp = fields[HEADER_FIELD.timestamp]
  if (!(logsBloom instanceof Uint8Array) || logsBloom.length !== BLOOM_LENGTH) throw new TypeError('header logsBloom must be 256 bytes')
  if (!(timestamp instanceof Uint8Array)) throw new TypeError('header timestamp must be a byte string')
  if (logsBloom.every((b) => b === 0)) return undefined
  return { hash, timestamp: bytesToBigInt(timestamp), logsBloom }
}
