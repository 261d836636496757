/**
 * inference / multi-LoRA engine: decode and prefill throughput of the native engine with many
 * adapters, CPU and CUDA side by side (CUDA cases join when the addon reports a device).
 *
 * Budget it serves (issue 4, shared/specs/inference.md §0 and §5): one process serves a
 * >= 100M-parameter base model with many PEFT LoRA adapters for the inference precompile.
 *   - CPU batch-1 decode >= 50% of the memory-bandwidth bound (f32 weight bytes per token /
 *     bandwidth; ~75 tok/s for this model at the spec's ~30 GB/s);
 *   - 8 distinct adapters at batch 8 cost <= 20% throughput against the base model alone
 *     (S-LoRA / Punica class overhead);
 *   - 1,000 registered adapters served from one process through the LRU adapter cache.
 *
 * Model: the "100m" preset of native/tools/makeSyntheticModel.ts (hidden 768, 12 layers,
 * 12 heads / 4 KV heads, MLP 2048, vocab 32000; ~125M parameters, f32), written to a temp dir
 * at bench time together with PEFT adapters (all seven target modules; ranks 8, 16, 64) and, for
 * the LRU case, 1,000 small adapters (rank 8 on q_proj/v_proj, bf16 files).
 *
 * Cases ("area / subject / variant"):
 *   inference / decode / <backend> / batch B / <adapters>      tokens/s of the decode phase:
 *       B requests x D new tokens (4 D at batch 1), time(1 + D tokens) - time(1 token) per run
 *       (prompt 4 tokens); printed next to the bandwidth bound B * bandwidth / f32 weight bytes
 *       per step, bandwidth = read bandwidth measured in-process with the engine's thread count
 *       (memcmp of private 128 MiB buffers in that many worker threads); the bound at the
 *       spec's ~30 GB/s is saved too.
 *   inference / prefill / <backend> / batch B / <adapters>     prompt tokens/s (B x P, 1 token)
 *   inference / adapters / <backend> / load | merge | unmerge rank r   latency (ms)
 *   inference / adapters / <backend> / 1000 registered LRU     register + serve 256 requests
 * "merged" cases serve one adapter merged into a copy of the weights (serving option); the rest
 * use the unmerged consensus path (BGMV decode / SGMV prefill).
 *
 * benny drives every case; its first two calls of a case are its own probes and count as
 * warm-ups; figures are medians of the remaining BENCH_RUNS runs.
 *
 * Run: npm run bench:inference   (env: BENCH_RUNS=2, BENCH_DECODE_TOKENS=8,
 *      BENCH_PREFILL_TOKENS=64, BENCH_THREADS=2, BENCH_BACKENDS=cpu,cuda, BENCH_LRU_ADAPTERS=1000,
 *      BENCH_PRESET=100m|tiny (tiny: a smoke run of the harness itself))
 * Results: bench/results/inference.json (+ benny's own summaries next to it).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import b from 'benny'
import { createEngine, nativeInfo } from '../../native/index.ts'
import type { Engine, GenerateRequest, ModelInfo } from '../../native/index.ts'
import { median } from '../median.ts'

/** benny calls an async case twice to probe its shape before sampling */
const BENNY_PROBE_CALLS = 2
/** Reference bandwidth of the spec (shared/specs/inference.md §5.1, "plan for about 30 GB/s"). */
const SPEC_BANDWIDTH_GBS = 30
const PROMPT_DECODE = 4
const LRU_REQUESTS = 256
/** LRU cache budget: ~64 of the 1,000 small adapters (1 MiB each in f32) fit at once. */
const LRU_CACHE_BYTES = 64 * 1024 * 1024

function envInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}`)
  return n
}

const runsWanted = envInt('BENCH_RUNS', 2, 1)
const decodeTokens = envInt('BENCH_DECODE_TOKENS', 8, 1)
const prefillTokens = envInt('BENCH_PREFILL_TOKENS', 64, 1)
const threads = envInt('BENCH_THREADS', 2, 1)
const lruAdapters = envInt('BENCH_LRU_ADAPTERS', 1000, 0)
const preset = process.env.BENCH_PRESET === 'tiny' ? 'tiny' : '100m'
const native = nativeInfo()
const backendsWanted = (process.env.BENCH_BACKENDS ?? 'cpu,cuda').split(',').map((s) => s.trim())
const backends = backendsWanted.filter((x): x is 'cpu' | 'cuda' => x === 'cpu' || (x === 'cuda' && native.cudaDeviceCount > 0))
const skippedBackends = backendsWanted.filter((x) => !backends.includes(x as 'cpu' | 'cuda'))

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const resultsDir = join(here, '..', 'results')
await mkdir(resultsDir, { recursive: true })

/** Run native/tools/makeSyntheticModel.ts (the CPU engineer's generator) in a child process. */
function makeSynthetic(args: string[]): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'native', 'tools', 'makeSyntheticModel.ts'), ...args], {
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`makeSyntheticModel ${args.join(' ')} failed: ${r.stderr}`)
}

/**
 * Copy bandwidth of one thread: best of 5 copies of a 256 MiB buffer (memcpy), counting bytes
 * read plus bytes written.
 */
function measureCopyGBs(): number {
  const bytes = 256 * 1024 * 1024
  const src = Buffer.alloc(bytes, 1)
  const dst = Buffer.alloc(bytes)
  src.copy(dst) // fault every page in before timing
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now()
    src.copy(dst)
    best = Math.min(best, performance.now() - t0)
  }
  return (2 * bytes) / (best / 1000) / 1e9
}

/**
 * Read bandwidth with `workers` threads at once (the engine's thread count): each compares two
 * private 256 MiB buffers (memcmp reads both; 1 GiB in all with 2 threads, well past the last-level
 * cache, as the 400 MB of weights are) 7 times; bandwidth = all bytes read / wall time of the best
 * round. Decode streams the weights once per step, so this is its bound. Best-of keeps the bound
 * honest on a shared machine: a dip in the reference would flatter the engine's percentage.
 */
async function measureReadGBs(workers: number): Promise<number> {
  const mib = 256
  const code = `
    const { parentPort } = require('node:worker_threads')
    const bytes = ${mib} * 1024 * 1024
    const a = Buffer.alloc(bytes, 7), b = Buffer.alloc(bytes, 7)
    a.compare(b)
    parentPort.postMessage('ready')
    parentPort.on('message', () => { a.compare(b); parentPort.postMessage('done') })`
  const pool = Array.from({ length: workers }, () => new Worker(code, { eval: true }))
  const once = (w: Worker): Promise<void> => new Promise((resolve) => w.once('message', () => resolve()))
  await Promise.all(pool.map(once))
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now()
    const done = pool.map(once)
    for (const w of pool) w.postMessage('go')
    await Promise.all(done)
    best = Math.min(best, performance.now() - t0)
  }
  await Promise.all(pool.map((w) => w.terminate()))
  return (workers * 2 * mib * 1024 * 1024) / (best / 1000) / 1e9
}

const pad = (i: number): string => `adapter-${String(i).padStart(4, '0')}`
const promptOf = (seed: number, len: number, vocab: number): number[] => Array.from({ length: len }, (_, i) => (seed * 7919 + i * 104729) % vocab)

// ---------------------------------------------------------------- data

const startedAt = new Date().toISOString()
const loadBefore = loadavg()
const copyGBs = measureCopyGBs()
const firstReadGBs = await measureReadGBs(threads)
const work = mkdtempSync(join(tmpdir(), 'oli-bench-inference-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
const modelDir = join(work, 'model')
const t0 = performance.now()
makeSynthetic(['model', modelDir, ...(preset === '100m' ? ['--preset', '100m'] : [])])
makeSynthetic(['adapter', join(work, 'r8'), modelDir, '--rank', '8', '--count', '8', '--seed', '100'])
makeSynthetic(['adapter', join(work, 'r16'), modelDir, '--rank', '16', '--count', '64', '--seed', '200'])
makeSynthetic(['adapter', join(work, 'r64'), modelDir, '--rank', '64', '--count', '8', '--seed', '300'])
if (lruAdapters > 0)
  makeSynthetic([
    'adapter',
    join(work, 'lru'),
    modelDir,
    '--rank',
    '8',
    '--targets',
    'q_proj,v_proj',
    '--dtype',
    'bf16',
    '--count',
    String(lruAdapters),
    '--seed',
    '1000',
  ])
const writeMs = performance.now() - t0
// measured again once the model files are written (page-cache churn over): the better of the two
const bandwidthGBs = Math.max(firstReadGBs, await measureReadGBs(threads))
console.log(
  `synthetic model + adapters written in ${(writeMs / 1000).toFixed(1)} s; read bandwidth (${threads} threads) ${bandwidthGBs.toFixed(1)} GB/s, copy (1 thread) ${copyGBs.toFixed(1)} GB/s`,
)

// ---------------------------------------------------------------- engines

type Side = { backend: 'cpu' | 'cuda'; engine: Engine; info: ModelInfo; ids: Record<'r8' | 'r16' | 'r64', string[]>; loadMs: Record<string, number[]> }

async function openSide(backend: 'cpu' | 'cuda'): Promise<Side> {
  const engine = await createEngine({ backend, threads, maxRunning: 32, maxBatchTokens: 512, kvBlocks: 1024, adapterCacheBytes: 2 * 1024 ** 3 })
  const info = await engine.loadModel(modelDir)
  const ids = { r8: [] as string[], r16: [] as string[], r64: [] as string[] }
  const loadMs: Record<string, number[]> = { r8: [], r16: [], r64: [] }
  for (const [set, count] of [
    ['r8', 8],
    ['r16', 64],
    ['r64', 8],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const s = performance.now()
      ids[set].push((await engine.loadAdapter(join(work, set, pad(i)))).id)
      loadMs[set]!.push(performance.now() - s)
    }
  }
  // fault the weights in (mmap'd on the CPU) and warm every code path once
  await engine.generate([
    { prompt: promptOf(1, 8, info.vocabSize), maxTokens: 2 },
    { prompt: promptOf(2, 8, info.vocabSize), adapterId: ids.r16[0], maxTokens: 2 },
  ])
  return { backend, engine, info, ids, loadMs }
}

const sides: Side[] = []
for (const backend of backends) sides.push(await openSide(backend))

// ---------------------------------------------------------------- cases

type Measure = { ms: number; tokens: number; extra?: Record<string, number> }
type CaseResult = {
  name: string
  suite: string
  backend: string
  runs: Measure[]
  medianMs: number
  tokensPerSec?: number
  boundTokensPerSec?: number
  boundFraction?: number
  extra?: Record<string, number>
}
const results: CaseResult[] = []
const failures: unknown[] = []

type AdapterMix = { label: string; pick: (side: Side, i: number) => string | null; merged?: 'r16' }
const BASE: AdapterMix = { label: 'base', pick: () => null }
const one = (set: 'r8' | 'r16' | 'r64'): AdapterMix => ({ label: `1 adapter ${set}`, pick: (s) => s.ids[set][0]! })
const distinct = (n: number, set: 'r8' | 'r16' | 'r64'): AdapterMix => ({
  label: `${n} adapters ${set}`,
  pick: (s, i) => s.ids[set][i % n]!,
})
const MERGED: AdapterMix = { label: '1 adapter r16 merged', pick: (s) => s.ids.r16[0]!, merged: 'r16' }

async function timeGenerate(side: Side, requests: GenerateRequest[]): Promise<number> {
  const s = performance.now()
  await side.engine.generate(requests)
  return performance.now() - s
}

function decodeCase(side: Side, batch: number, mix: AdapterMix, requests = batch): () => Promise<Measure> {
  return async () => {
    const reqs = (maxTokens: number): GenerateRequest[] =>
      Array.from({ length: requests }, (_, i) => ({
        prompt: promptOf(i + 1, PROMPT_DECODE, side.info.vocabSize),
        adapterId: mix.pick(side, i),
        maxTokens,
        requestId: i,
      }))
    // batch 1 steps are short: decode 4x as many tokens so timer and scheduling noise stay small
    const steps = batch === 1 ? 4 * decodeTokens : decodeTokens
    // The prefill-only time is subtracted, so an inflated sample of it (a neighbour's burst on a
    // shared machine) would inflate the decode rate: take the lower of two samples.
    const first = Math.min(await timeGenerate(side, reqs(1)), await timeGenerate(side, reqs(1)))
    const full = await timeGenerate(side, reqs(1 + steps))
    return { ms: Math.max(full - first, 1e-3), tokens: requests * steps }
  }
}

function prefillCase(side: Side, batch: number, mix: AdapterMix, len: number): () => Promise<Measure> {
  return async () => {
    const reqs = Array.from({ length: batch }, (_, i) => ({
      prompt: promptOf(i + 11, len, side.info.vocabSize),
      adapterId: mix.pick(side, i),
      maxTokens: 1,
      requestId: i,
    }))
    return { ms: await timeGenerate(side, reqs), tokens: batch * len }
  }
}

type CaseDef = {
  name: string
  backend: string
  setup?: () => Promise<void>
  teardown?: () => Promise<void>
  run: () => Promise<Measure>
  bound?: number
  /** timed runs (default BENCH_RUNS) */
  samples?: number
}

/** Run defs as one benny suite; each def's runs are serialised (benny's probes do not await). */
async function suite(title: string, defs: CaseDef[]): Promise<void> {
  const collected = new Map<string, Measure[]>()
  let serial: Promise<unknown> = Promise.resolve()
  // Cases needing state (merge) set it up around their own runs: run them one at a time.
  for (const def of defs) {
    if (def.setup) await def.setup()
    await b.suite(
      `${title} / ${def.name}`,
      b.add(
        def.name,
        () => {
          const next = serial.then(async () => {
            const m = await def.run()
            const list = collected.get(def.name) ?? []
            list.push(m)
            collected.set(def.name, list)
          })
          // a failed run must fail the bench, not vanish into benny's statistics
          serial = next.catch((err: unknown) => failures.push(err))
          return next
        },
        { minSamples: def.samples ?? runsWanted, maxTime: 0.001, initCount: 1 },
      ),
      b.cycle(),
      b.save({
        file: `${def.name
          .replace(/[^a-z0-9]+/gi, '-')
          .replace(/^-|-$/g, '')
          .toLowerCase()}.benny`,
        folder: resultsDir,
        format: 'json',
        details: false,
      }),
    )
    await serial
    if (def.teardown) await def.teardown()
    if (failures.length > 0) throw failures[0]
    const all = collected.get(def.name) ?? []
    const runs = all.length > BENNY_PROBE_CALLS ? all.slice(BENNY_PROBE_CALLS) : all
    const medianMs = median(runs.map((r) => r.ms))
    const tokens = runs[0]?.tokens ?? 0
    const res: CaseResult = { name: def.name, suite: title, backend: def.backend, runs, medianMs }
    if (tokens > 0) res.tokensPerSec = (tokens * 1000) / medianMs
    if (def.bound !== undefined && res.tokensPerSec !== undefined) {
      res.boundTokensPerSec = def.bound
      res.boundFraction = res.tokensPerSec / def.bound
    }
    if (runs[0]?.extra) res.extra = Object.fromEntries(Object.keys(runs[0].extra).map((k) => [k, median(runs.map((r) => r.extra![k]!))]))
    results.push(res)
    const boundText =
      res.boundTokensPerSec !== undefined ? ` | bound ${res.boundTokensPerSec.toFixed(1)} tok/s (${(100 * res.boundFraction!).toFixed(0)}%)` : ''
    const rate = res.tokensPerSec !== undefined ? ` | ${res.tokensPerSec.toFixed(1)} tok/s` : ''
    console.log(`  => ${def.name}: median ${medianMs.toFixed(1)} ms${rate}${boundText}`)
  }
}

const mergeAround = (side: Side, mix: AdapterMix): Pick<CaseDef, 'setup' | 'teardown'> =>
  mix.merged
    ? {
        setup: async () => side.engine.mergeAdapter(mix.pick(side, 0)!),
        teardown: async () => {
          await side.engine.unmergeAdapter()
        },
      }
    : {}

// decode: bound = batch * bandwidth / f32 weight bytes read per step
const decodeMatrix: [number, AdapterMix, number?][] = [
  [1, BASE],
  [8, BASE],
  [32, BASE],
  [1, one('r16')],
  [8, one('r16')],
  [32, one('r16')],
  [1, MERGED],
  [8, MERGED],
  [8, distinct(8, 'r8')],
  [8, distinct(8, 'r16')],
  [8, distinct(8, 'r64')],
  [32, distinct(8, 'r16')],
  [32, distinct(64, 'r16'), 64],
]
/**
 * The adapter-overhead target as a paired ratio: each run times base and 8 distinct adapters
 * back to back (same batch, same lengths), so load swings on a shared machine hit both sides;
 * the reported cost is the median over runs of 1 - adapters tok/s / base tok/s.
 */
function pairedCase(side: Side): CaseDef {
  const base = decodeCase(side, 8, BASE)
  const adapters = decodeCase(side, 8, distinct(8, 'r16'))
  return {
    name: `inference / decode / ${side.backend} / batch 8 / 8 adapters r16 vs base (paired)`,
    backend: side.backend,
    samples: Math.max(5, runsWanted),
    run: async () => {
      const b0 = await base()
      const a0 = await adapters()
      return { ms: a0.ms, tokens: a0.tokens, extra: { baseMs: b0.ms, costPct: 100 * (1 - b0.ms / a0.ms) } }
    },
  }
}

for (const side of sides) {
  await suite(`inference / decode / ${side.backend}`, [
    pairedCase(side),
    ...decodeMatrix.map(([batch, mix, requests]) => ({
      name: `inference / decode / ${side.backend} / batch ${batch} / ${mix.label}${requests ? ` (${requests} requests)` : ''}`,
      backend: side.backend,
      ...mergeAround(side, mix),
      run: decodeCase(side, batch, mix, requests ?? batch),
      bound: (batch * bandwidthGBs * 1e9) / side.info.weightBytes,
    })),
  ])
}

// prefill (chunked, SGMV for adapters); batch 32 uses half the prompt to bound the run time
const prefillMatrix: [number, AdapterMix][] = [
  [1, BASE],
  [8, BASE],
  [32, BASE],
  [8, distinct(8, 'r16')],
  [8, MERGED],
  [32, distinct(32, 'r16')],
]
for (const side of sides) {
  await suite(
    `inference / prefill / ${side.backend}`,
    prefillMatrix.map(([batch, mix]) => {
      const len = batch >= 32 ? Math.max(1, prefillTokens >> 1) : prefillTokens
      return {
        name: `inference / prefill / ${side.backend} / batch ${batch} x ${len} tokens / ${mix.label}`,
        backend: side.backend,
        ...mergeAround(side, mix),
        run: prefillCase(side, batch, mix, len),
      }
    }),
  )
}

// adapter lifecycle latency
for (const side of sides) {
  const defs: CaseDef[] = []
  for (const set of ['r8', 'r16', 'r64'] as const) {
    // reload: unload one adapter of the set, then load it again (file hash + parse + upload)
    let k = 0
    defs.push({
      name: `inference / adapters / ${side.backend} / load rank ${set.slice(1)}`,
      backend: side.backend,
      run: async () => {
        const i = k++ % side.ids[set].length
        await side.engine.unloadAdapter(side.ids[set][i]!)
        const s = performance.now()
        side.ids[set][i] = (await side.engine.loadAdapter(join(work, set, pad(i)))).id
        return { ms: performance.now() - s, tokens: 0 }
      },
    })
    defs.push({
      name: `inference / adapters / ${side.backend} / merge + unmerge rank ${set.slice(1)}`,
      backend: side.backend,
      run: async () => {
        const s = performance.now()
        await side.engine.mergeAdapter(side.ids[set][0]!)
        const merged = performance.now()
        await side.engine.unmergeAdapter()
        const end = performance.now()
        return { ms: merged - s, tokens: 0, extra: { unmergeMs: end - merged } }
      },
    })
  }
  await suite(`inference / adapters / ${side.backend}`, defs)
}

// 1,000 registered adapters served from one process through the LRU cache
if (lruAdapters > 0) {
  for (const side of sides) {
    const def: CaseDef = {
      name: `inference / adapters / ${side.backend} / ${lruAdapters} registered LRU (${LRU_REQUESTS} requests, batch 32)`,
      backend: side.backend,
      run: async () => {
        const engine = await createEngine({
          backend: side.backend,
          threads,
          maxRunning: 32,
          maxBatchTokens: 512,
          kvBlocks: 1024,
          adapterCacheBytes: LRU_CACHE_BYTES,
        })
        try {
          await engine.loadModel(modelDir)
          const s = performance.now()
          const ids: string[] = []
          for (let i = 0; i < lruAdapters; i++) ids.push((await engine.loadAdapter(join(work, 'lru', pad(i)))).id)
          const registerMs = performance.now() - s
          const before = engine.stats()
          // requests spread over all adapters (stride 7 is coprime to 1000): a working set far
          // beyond the cache, so the run exercises eviction and reload
          const reqs: GenerateRequest[] = Array.from({ length: LRU_REQUESTS }, (_, i) => ({
            prompt: promptOf(i + 3, PROMPT_DECODE, side.info.vocabSize),
            adapterId: ids[(i * 7) % lruAdapters]!,
            maxTokens: 2,
            requestId: i,
          }))
          const g = performance.now()
          await engine.generate(reqs)
          const serveMs = performance.now() - g
          const after = engine.stats()
          return {
            ms: serveMs,
            tokens: LRU_REQUESTS * (PROMPT_DECODE + 2),
            extra: {
              registerMs,
              registered: after.adaptersRegistered,
              resident: after.adaptersResident,
              evictionsDuringServe: after.adapterEvictions - before.adapterEvictions,
              loadsDuringServe: after.adapterLoads - before.adapterLoads,
            },
          }
        } finally {
          engine.close()
        }
      },
    }
    await suite(`inference / adapters LRU / ${side.backend}`, [def])
  }
}

for (const side of sides) side.engine.close()

// ---------------------------------------------------------------- report

const find = (name: string): CaseResult | undefined => results.find((r) => r.name === name)
const targets: Record<string, unknown>[] = []
for (const side of sides) {
  const b1 = find(`inference / decode / ${side.backend} / batch 1 / base`)
  const paired = find(`inference / decode / ${side.backend} / batch 8 / 8 adapters r16 vs base (paired)`)
  if (b1?.boundFraction !== undefined)
    targets.push({ backend: side.backend, target: 'batch-1 decode >= 50% of bandwidth bound', value: b1.boundFraction, met: b1.boundFraction >= 0.5 })
  if (paired?.extra?.costPct !== undefined) {
    const cost = paired.extra.costPct / 100
    targets.push({ backend: side.backend, target: '8 distinct adapters (r16) at batch 8 cost <= 20% vs base (paired median)', value: cost, met: cost <= 0.2 })
  }
}

console.log('\ncase | median ms | tok/s | bound tok/s | % of bound | extra')
for (const r of results) {
  const extra = r.extra
    ? Object.entries(r.extra)
        .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(1)}`)
        .join(', ')
    : ''
  console.log(
    `${r.name} | ${r.medianMs.toFixed(1)} | ${r.tokensPerSec?.toFixed(1) ?? '-'} | ${r.boundTokensPerSec?.toFixed(1) ?? '-'} | ${r.boundFraction !== undefined ? (100 * r.boundFraction).toFixed(0) : '-'} | ${extra}`,
  )
}
for (const tg of targets) console.log(`target ${tg.backend}: ${tg.target}: ${Number(tg.value).toFixed(3)} ${tg.met ? 'MET' : 'NOT MET'}`)
if (skippedBackends.length) console.log(`skipped backends: ${skippedBackends.join(', ')} (cuda needs a device; the addon reports ${native.cudaDeviceCount})`)

const first = sides[0]
const report = {
  suite: 'inference',
  startedAt,
  finishedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), loadBefore, loadAfter: loadavg() },
  node: process.version,
  native,
  settings: {
    preset,
    runsPerCase: runsWanted,
    decodeTokens,
    prefillTokens,
    threads,
    promptDecode: PROMPT_DECODE,
    lruAdapters,
    lruCacheBytes: LRU_CACHE_BYTES,
    backends,
    skippedBackends,
  },
  model: first ? { parameters: first.info.numParameters, weightBytesPerToken: first.info.weightBytes, kernels: first.info.kernels } : undefined,
  bandwidth: {
    readGBs: bandwidthGBs,
    readThreads: threads,
    copyOneThreadGBs: copyGBs,
    specReferenceGBs: SPEC_BANDWIDTH_GBS,
    boundUses: 'measured read bandwidth with the engine thread count',
    batch1BoundAtSpecReference: first ? (SPEC_BANDWIDTH_GBS * 1e9) / first.info.weightBytes : undefined,
  },
  adapterLoadMsAtStartup: Object.fromEntries(sides.map((s) => [s.backend, Object.fromEntries(Object.entries(s.loadMs).map(([k, v]) => [k, median(v)]))])),
  syntheticWriteMs: writeMs,
  results,
  targets,
}
await writeFile(join(resultsDir, 'inference.json'), `${JSON.stringify(report, null, 2)}\n`)
console.log(`\nsaved ${join(resultsDir, 'inference.json')}`)
