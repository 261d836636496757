import { OpenLedgerError } from '../../runtime/index.ts'
import { SYNC_ERROR } from './syncErrors.ts'

/** One item of a concatenated-RLP stream: its bytes, its index (0-based) and its byte offset in the stream. */
export type RlpItem = { item: Uint8Array; index: number; offset: number }

/**
 * The RLP list header at `at` in `buf`: the item's total length (header + payload), or undefined
 * when `buf` ends before the header does. Throws SYNC_ERROR_MALFORMED_FILE for a non-list or a
 * non-canonical length (an export file holds block RLPs, each a list).
 */
export function listItemLength(buf: Uint8Array, at: number, index: number, offset: number): number | undefined {
  if (at >= buf.length) return undefined
  const first = buf[at]!
  const meta = { index, offset }
  if (first < 0xc0) throw new OpenLedgerError(SYNC_ERROR.MALFORMED_FILE, `block #${index} at byte ${offset} is not an RLP list (garbage in the file?)`, meta)
  if (first <= 0xf7) return 1 + (first - 0xc0)
  const lengthBytes = first - 0xf7
  if (at + 1 + lengthBytes > buf.length) return undefined
  if (buf[at + 1] === 0) throw new OpenLedgerError(SYNC_ERROR.MALFORMED_FILE, `block #${index} at byte ${offset} has a non-canonical RLP length`, meta)
  let length = 0
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + buf[at + 1 + i]!
  if (length < 56) throw new OpenLedgerError(SYNC_ERROR.MALFORMED_FILE, `block #${index} at byte ${offset} has a non-canonical RLP length`, meta)
  return 1 + lengthBytes + length
}

/**
 * Split a byte stream of concatenated RLP lists (an `openledger export` file) into its items,
 * streamed: only the current item is held. A header that is not a list, an item over
 * `maxItemBytes`, or a stream ending inside an item throws SYNC_ERROR_MALFORMED_FILE naming the
 * item's index and byte offset; the items before it have been yielded.
 *
 * @example
 * for await (const { item, index } of readRlpItems(createReadStream(file))) importer.decodeBlock(item)
 */
export async function* readRlpItems(source: AsyncIterable<Uint8Array>, maxItemBytes: number): AsyncGenerator<RlpItem> {
  let buf = new Uint8Array(0)
  let at = 0 // start of the current item in buf
  let offset = 0 // its offset in the stream
  let index = 0
  for await (const chunk of source) {
    const rest = buf.subarray(at)
    const joined = new Uint8Array(rest.length + chunk.length)
    joined.set(rest, 0)
    joined.set(chunk, rest.length)
    buf = joined
    at = 0
    for (;;) {
      const length = listItemLength(buf, at, index, offset)
      if (length === undefined) break
      if (length > maxItemBytes) {
        throw new OpenLedgerError(SYNC_ERROR.MALFORMED_FILE, `block #${index} at byte ${offset} claims ${length} bytes, over the ${maxItemBytes}-byte limit`, {
          index,
          offset,
          length,
        })
      }
      if (at + length > buf.length) break
      yield { item: buf.slice(at, at + length), index, offset }
      at += length
      offset += length
      index++
    }
  }
  if (at < buf.length) {
    throw new OpenLedgerError(SYNC_ERROR.MALFORMED_FILE, `the file ends inside block #${index} at byte ${offset} (truncated)`, {
      index,
      offset,
      have: buf.length - at,
    })
  }
}
