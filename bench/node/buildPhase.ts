/**
 * node / block production / build phase: the sequencer build alone (linear builder, roots, the
 * atomic LevelDB commit), in-process, for A/B comparisons of block-production changes on a shared
 * machine. It serves the same budget as blockProduction.ts (issue 2: a 2,000-tx block end to end
 * at least as fast as anvil); the build is most of our end-to-end time.
 *
 * Per run: a fresh datadir, pool.addRaw of the workload (untimed), then sequencer.buildNow()
 * timed in wall time and process CPU time (process.cpuUsage: user + system, all threads).
 * The first WARMUP runs are discarded.
 *
 * Run: node --import tsx bench/node/buildPhase.ts <eth|erc20> [runs=5] [warmup=1]
 *      env BUILD_PROFILE=<file.cpuprofile>: a V8 CPU profile of the last run's build
 *      (open in Chrome DevTools, or summarise with bench/node/summariseProfile.ts)
 * Prints one JSON line per run and a summary line with medians.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createChain } from '../../node/chain/index.ts'
import { createSequencer } from '../../node/sequencer/index.ts'
import { createTxPool } from '../../node/txpool/index.ts'
import { benchChainSpec } from './benchSpec.ts'
import { startCpuProfile } from './cpuProfile.ts'
import { makeWorkload } from './workload.ts'
import type { WorkloadKind } from './workload.ts'
import { median } from '../median.ts'

const kind = (process.argv[2] ?? 'erc20') as WorkloadKind
if (kind !== 'eth' && kind !== 'erc20') throw new Error('kind must be eth or erc20')
const runs = Number(process.argv[3] ?? '5')
const warmup = Number(process.argv[4] ?? '1')
const profilePath = process.env.BUILD_PROFILE

const workload = makeWorkload(kind, { chainId: 1337n, txs: 2_000, senders: 200 })
const spec = benchChainSpec(workload)

async function oneRun(profile: boolean): Promise<{ wallMs: number; cpuMs: number; txs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'openledger-buildphase-'))
  try {
    const chain = await createChain({ dataDir: dir, spec, crypto: 'fast' })
    const pool = await createTxPool({ chain, journalPath: join(dir, 'txpool.journal') })
    const sequencer = createSequencer({ chain, pool, automine: false, blockTime: 0 })
    try {
      for (const raw of workload.raws) await pool.addRaw(raw)
      const stopProfile = profile ? await startCpuProfile() : undefined
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      const info = await sequencer.buildNow()
      const wallMs = performance.now() - t0
      const cpu = process.cpuUsage(cpu0)
      if (stopProfile !== undefined) await stopProfile(profilePath!)
      if (info.txs !== workload.raws.length) throw new Error(`only ${info.txs} txs included`)
      return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, txs: info.txs }
    } finally {
      await sequencer.stop()
      await pool.close()
      await chain.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const measured: { wallMs: number; cpuMs: number }[] = []
for (let i = 0; i < warmup + runs; i++) {
  const r = await oneRun(profilePath !== undefined && i === warmup + runs - 1)
  const keep = i >= warmup
  if (keep) measured.push(r)
  console.log(JSON.stringify({ kind, run: i, warmup: !keep, wallMs: Math.round(r.wallMs), cpuMs: Math.round(r.cpuMs) }))
}
console.log(
  JSON.stringify({
    kind,
    runs: measured.length,
    medianWallMs: Math.round(median(measured.map((r) => r.wallMs))),
    medianCpuMs: Math.round(median(measured.map((r) => r.cpuMs))),
  }),
)
