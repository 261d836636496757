/**
 * Our node in-process: a fresh LevelDB chain in a temp datadir, the txpool (journal on, as the
 * node runs it) and the sequencer. Timed: pool.addRaw of every tx (decode, one sender recovery,
 * validation, journal append), then one sequencer build (linear builder, roots, atomic commit).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex } from '@ethereumjs/util'
import type { ChainSpec } from '../../genesis/index.ts'
import { createChain } from '../../node/chain/index.ts'
import { createSequencer } from '../../node/sequencer/index.ts'
import { createTxPool } from '../../node/txpool/index.ts'
import type { Workload } from './workload.ts'

/** Timings of one in-process run, milliseconds. */
export type InProcessTimings = { ingestMs: number; buildMs: number; totalMs: number; gasUsed: bigint; blocks: number }

/** One fresh-datadir run of `workload` on `spec`. */
export async function runInProcess(workload: Workload, spec: ChainSpec, opts: { crypto: 'fast' | 'noble' }): Promise<InProcessTimings> {
  const dir = await mkdtemp(join(tmpdir(), 'openledger-bench-'))
  try {
    const chain = await createChain({ dataDir: dir, spec, crypto: opts.crypto })
    const pool = await createTxPool({ chain, journalPath: join(dir, 'txpool.journal') })
    const sequencer = createSequencer({ chain, pool, automine: false, blockTime: 0 })
    try {
      const t0 = performance.now()
      for (const raw of workload.raws) await pool.addRaw(raw)
      const t1 = performance.now()
      let gasUsed = 0n
      let included = 0
      let blocks = 0
      while (included < workload.raws.length) {
        const info = await sequencer.buildNow()
        if (info.txs === 0) throw new Error(`only ${included} of ${workload.raws.length} txs were included`)
        included += info.txs
        gasUsed += info.gasUsed
        blocks++
      }
      const t2 = performance.now()
      // every tx must have succeeded
      for (let n = 1n; n <= BigInt(blocks); n++) {
        const block = await chain.getBlockByNumber(n)
        const receipts = await chain.getReceipts(block!.hash())
        const failed = receipts!.find((r) => r.status !== 1)
        if (failed !== undefined) throw new Error(`tx ${bytesToHex(failed.txHash)} failed`)
      }
      return { ingestMs: t1 - t0, buildMs: t2 - t1, totalMs: t2 - t0, gasUsed, blocks }
    } finally {
      await sequencer.stop()
      await pool.close()
      await chain.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
