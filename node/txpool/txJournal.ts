import { open, readFile, rename, rm } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'

/**
 * Append-only journal of raw signed txs, so the pool survives a restart.
 *
 * File format: a sequence of records, each a 4-byte big-endian length followed by that many
 * bytes of serialized tx. A torn last record (crash mid-append) is ignored on load. The file is
 * rewritten compacted (only the txs still in the pool) on rotation and on close, via a temp
 * file and an atomic rename.
 */
export type TxJournal = {
  /** raw txs recorded in the file, oldest first */
  load(): Promise<Uint8Array[]>
  /** queue one raw tx for appending (written asynchronously, in order) */
  append(raw: Uint8Array): void
  /** records appended since the last rewrite (or load) */
  readonly appended: number
  /** replace the file with exactly these txs */
  rewrite(raws: Iterable<Uint8Array>): Promise<void>
  /** wait until every queued append is on disk (written, not fsynced) */
  flush(): Promise<void>
  close(): Promise<void>
}

/** Largest record accepted on load; anything bigger means a corrupt file (txs are <= 128 KiB). */
const MAX_RECORD_BYTES = 1 << 20

/** Open (create if missing) the journal at `path`. */
export async function createTxJournal(path: string): Promise<TxJournal> {
  let handle: FileHandle | undefined = await open(path, 'a')
  let queue: Uint8Array[] = []
  // appends made while a rewrite is queued: they belong after the compacted content
  let held: Uint8Array[] | undefined
  let chain: Promise<void> = Promise.resolve()
  let writeError: unknown
  let appended = 0

  function enqueue(op: () => Promise<void>): Promise<void> {
    const next = chain.then(op).catch((err: unknown) => {
      writeError = err
    })
    chain = next
    return next
  }

  async function writeQueued(): Promise<void> {
    if (queue.length === 0 || handle === undefined) return
    const batch = queue
    queue = []
    await handle.write(Buffer.concat(batch))
  }

  function encode(raw: Uint8Array): Uint8Array[] {
    const len = Buffer.allocUnsafe(4)
    len.writeUInt32BE(raw.length, 0)
    return [len, raw]
  }

  return {
    get appended() {
      return appended
    },
    async load() {
      await enqueue(writeQueued)
      const buf = await readFile(path)
      const out: Uint8Array[] = []
      let off = 0
      while (off + 4 <= buf.length) {
        const len = buf.readUInt32BE(off)
        if (len === 0 || len > MAX_RECORD_BYTES || off + 4 + len > buf.length) break
        out.push(new Uint8Array(buf.subarray(off + 4, off + 4 + len)))
        off += 4 + len
      }
      appended = 0
      return out
    },
    append(raw) {
      if (handle === undefined) return
      appended++
      if (held !== undefined) {
        held.push(...encode(raw))
        return
      }
      const wasEmpty = queue.length === 0
      queue.push(...encode(raw))
      if (wasEmpty) void enqueue(writeQueued)
    },
    async rewrite(raws) {
      const parts: Uint8Array[] = []
      for (const raw of raws) parts.push(...encode(raw))
      // appends queued before this call are superseded by the compacted content
      queue = []
      held ??= []
      appended = 0
      await enqueue(async () => {
        if (handle === undefined) return
        const tmp = `${path}.tmp`
        const out = await open(tmp, 'w')
        try {
          await out.write(Buffer.concat(parts))
          await out.sync()
        } finally {
          await out.close()
        }
        const old = handle
        handle = undefined
        await old.close()
        try {
          await rename(tmp, path)
        } finally {
          handle = await open(path, 'a')
        }
        if (held !== undefined) {
          queue.push(...held)
          held = undefined
        }
        await writeQueued()
      })
      if (held !== undefined) {
        // the rewrite failed before reopening: keep the held appends for the next write
        queue.push(...held)
        held = undefined
      }
      if (writeError !== undefined) {
        const err = writeError
        writeError = undefined
        await rm(`${path}.tmp`, { force: true })
        throw err
      }
    },
    async flush() {
      await enqueue(writeQueued)
      if (writeError !== undefined) {
        const err = writeError
        writeError = undefined
        throw err
      }
    },
    async close() {
      await enqueue(async () => {
        if (held !== undefined) {
          queue.push(...held)
          held = undefined
        }
        await writeQueued()
        await handle?.close()
        handle = undefined
      })
    },
  }
}
