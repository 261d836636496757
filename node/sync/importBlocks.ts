import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { OpenLedgerError, isCodedError } from '../../runtime/index.ts'
import type { Chain } from '../chain/index.ts'
import { createBlockImporter } from './blockImporter.ts'
import type { CheckedBlock } from './blockImporter.ts'
import type { Progress } from './progress.ts'
import { listItemLength, readRlpItems } from './rlpItems.ts'
import type { RlpItem } from './rlpItems.ts'
import { MAX_SEALED_BLOCK_BYTES } from './sealedBlock.ts'
import { SYNC_ERROR } from './syncErrors.ts'

/** Options of {@link importBlocks}. */
export type ImportBlocksOptions = {
  chain: Chain
  /** export files (concatenated block RLP), imported in order */
  files: readonly string[]
  progress?: Progress
  /** checked between blocks: true stops the import after the current block (Ctrl-C) */
  stopRequested?: () => boolean
  /** largest block accepted from a file */
  maxBlockBytes?: number
}

/** What {@link importBlocks} did. */
export type ImportBlocksResult = { imported: number; skipped: number; txs: number; head: bigint; stopped: boolean }

/**
 * `openledger import`: blocks from export files through the same pipeline as sync (decode with
 * the chain's options, full re-execution, atomic commit), no seal required (the operator chose
 * the file, as geth import). Streamed; blocks the chain already has are skipped, so a re-run
 * resumes. The first bad block stops the import with its error (SYNC_ERROR_INVALID_BLOCK naming
 * its number and reason; SYNC_ERROR_MALFORMED_FILE / _MALFORMED_BLOCK naming its index and byte
 * offset); every block before it stays committed.
 *
 * @example
 * const { imported, head } = await importBlocks({ chain, files: ['blocks.rlp'] })
 */
export async function importBlocks(options: ImportBlocksOptions): Promise<ImportBlocksResult> {
  const { chain, progress } = options
  const maxBlockBytes = options.maxBlockBytes ?? MAX_SEALED_BLOCK_BYTES
  const importer = createBlockImporter({ chain, requireSeal: false })
  const result: ImportBlocksResult = { imported: 0, skipped: 0, txs: 0, head: chain.head().header.number, stopped: false }
  // the target for the progress display: items in the files, counted from their headers only
  let remaining = 0
  for (const file of options.files) remaining += await countItems(file)
  progress?.begin(result.head, result.head)
  let targetSet = false

  /** Skip a block the chain has (refusing one of another chain), else import it. */
  const take = async ({ checked, file, index, offset, ready }: Ahead): Promise<void> => {
    if (checked.number <= chain.head().header.number) {
      if ((await chain.getHeaderByHash(checked.hash)) === undefined) {
        throw new OpenLedgerError(SYNC_ERROR.INVALID_BLOCK, `block ${checked.number} (${file} #${index}) is not the block this chain has at that number`, {
          number: checked.number.toString(),
          file,
          index,
          offset,
          reason: 'not on this chain',
        })
      }
      result.skipped++
      return
    }
    await ready
    const executed = await importer.importBlock(checked)
    result.imported++
    result.txs += executed.block.transactions.length
    result.head = checked.number
    progress?.advance(checked.number, executed.block.transactions.length)
  }

  /** Import the oldest block ahead; when it fails, the ones after it cannot follow and are dropped. */
  const takeNext = async (): Promise<void> => {
    const next = ahead.shift()!
    try {
      await take(next)
    } catch (err) {
      ahead.length = 0
      throw err
    }
  }

  // PREFETCH_DEPTH blocks ahead: their tx work runs on the worker while the ones before execute
  const ahead: Ahead[] = []
  try {
    for (const file of options.files) {
      for await (const { item, index, offset } of itemsOf(file, maxBlockBytes)) {
        if (options.stopRequested?.() === true) {
          result.stopped = true
          return result
        }
        let checked: CheckedBlock
        try {
          checked = importer.decodeBlock(item)
        } catch (err) {
          throw withPlace(err, file, index, offset)
        }
        if (!targetSet) {
          progress?.setTarget(checked.number + BigInt(remaining) - 1n)
          targetSet = true
        }
        ahead.push({ checked, file, index, offset, ready: importer.prefetchSenders(checked) })
        if (ahead.length > PREFETCH_DEPTH) await takeNext()
      }
    }
    while (ahead.length > 0) {
      if (options.stopRequested?.() === true) {
        result.stopped = true
        break
      }
      await takeNext()
    }
  } catch (err) {
    // a bad item after good ones: the good ones still go in first (their own error wins)
    while (ahead.length > 0 && !result.stopped) await takeNext()
    throw err
  } finally {
    await importer.close()
    progress?.finish()
  }
  return result
}

/**
 * Blocks decoded ahead of the one importing: deep enough that the worker's per-block jitter
 * (it shares two cores with LevelDB and the GC) does not stall execution; a few blocks of memory.
 */
const PREFETCH_DEPTH = 4

/** A decoded block waiting its turn, its senders being recovered. */
type Ahead = { checked: CheckedBlock; file: string; index: number; offset: number; ready: Promise<void> }

/** The items of one file; a malformed-file error names the file. */
async function* itemsOf(file: string, maxBlockBytes: number): AsyncGenerator<RlpItem> {
  try {
    yield* readRlpItems(createReadStream(file, { highWaterMark: 1 << 20 }), maxBlockBytes)
  } catch (err) {
    if (!isCodedError(err)) throw err
    throw new OpenLedgerError(err.code, `${file}: ${err.message}`, { ...err.meta, file }, { cause: err })
  }
}

/** A decode error with the file, item index and byte offset added to its message and meta. */
function withPlace(err: unknown, file: string, index: number, offset: number): unknown {
  if (!isCodedError(err)) return err
  return new OpenLedgerError(err.code, `${file} block #${index} at byte ${offset}: ${err.message}`, { ...err.meta, file, index, offset }, { cause: err })
}

/** Items in an export file, from their RLP headers alone (stops quietly at the first bad or truncated one: the import names it). */
async function countItems(file: string): Promise<number> {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    const header = new Uint8Array(9)
    let count = 0
    for (let at = 0; at < size; count++) {
      const { bytesRead } = await handle.read(header, 0, 9, at)
      let length: number | undefined
      try {
        length = listItemLength(header.subarray(0, bytesRead), 0, count, at)
      } catch {
        return count
      }
      if (length === undefined || at + length > size) return count
      at += length
    }
    return count
  } finally {
    await handle.close()
  }
}
