/**
 * inference / decode probe: a short decode measurement for iterating on the CPU backend (the full
 * suite, inferenceThroughput.ts, takes minutes). Serves the same budget: CPU batch-1 decode >= 50%
 * of the memory-bandwidth bound, and cheap unmerged LoRA at batch 8.
 *
 * Prints one JSON line per case: tok/s (wall), CPU ms per token (user + system of the whole
 * process, load-independent apart from cache effects) and a hash of every logit, token and
 * attribution of the run (from one extra, untimed run), so two builds can be compared A/B and
 * checked bit for bit on the 100m model at once.
 *
 * Run: node --import tsx bench/inference/decodeProbe.ts <modelDir> [<adapterSetDir>]
 *   env: PROBE_ROOT (repo root to load native/ and build/ from; default this checkout),
 *        PROBE_THREADS (2), PROBE_TOKENS (32 at batch 1; a quarter at batch 8),
 *        PROBE_CASES (b1,b8,b1a,b8a), PROBE_KERNELS (auto)
 * Make the inputs with native/tools/makeSyntheticModel.ts (model --preset 100m; adapter --rank 16
 * --count 8).
 */
import { createHash } from 'node:crypto'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const here = new URL('.', import.meta.url).pathname
const root = resolve(process.env.PROBE_ROOT ?? join(here, '..', '..'))
const { createEngine } = (await import(pathToFileURL(join(root, 'native', 'index.ts')).href)) as typeof import('../../native/index.ts')

const modelDir = process.argv[2]
const adapterSet = process.argv[3]
if (!modelDir) throw new Error('usage: decodeProbe.ts <modelDir> [<adapterSetDir>]')
const threads = Number(process.env.PROBE_THREADS ?? 2)
const tokens = Number(process.env.PROBE_TOKENS ?? 32)
const cases = (process.env.PROBE_CASES ?? 'b1,b8,b1a,b8a').split(',')
const kernels = (process.env.PROBE_KERNELS ?? 'auto') as 'auto'

const engine = await createEngine({ backend: 'cpu', cpuKernels: kernels, threads, maxRunning: 32, maxBatchTokens: 512, kvBlocks: 1024 })
const info = await engine.loadModel(modelDir)
const ids: string[] = []
if (adapterSet && cases.some((c) => c.endsWith('a')))
  for (let i = 0; i < 8; i++) ids.push((await engine.loadAdapter(join(adapterSet, `adapter-${String(i).padStart(4, '0')}`))).id)

const promptOf = (seed: number): number[] => Array.from({ length: 4 }, (_, i) => (seed * 7919 + i * 104729) % info.vocabSize)

async function timed(
  batch: number,
  adapters: boolean,
  maxTokens: number,
  logits: 'none' | 'hash' = 'none',
): Promise<{ ms: number; cpuMs: number; hash: string }> {
  const reqs = Array.from({ length: batch }, (_, i) => ({
    prompt: promptOf(i + 1),
    adapterId: adapters ? ids[i % ids.length]! : null,
    maxTokens,
    requestId: i,
    logits,
  }))
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const res = await engine.generate(reqs)
  const ms = performance.now() - t0
  const c = process.cpuUsage(c0)
  const h = createHash('sha256')
  for (const r of res.flatMap((x) => x.completions)) h.update(`${r.logitsHash};${r.tokens.join(',')};${r.attribution.deltaNorm};`)
  return { ms, cpuMs: (c.user + c.system) / 1000, hash: h.digest('hex').slice(0, 16) }
}

// fault the weights in and warm every path
await timed(2, ids.length > 0, 2)
for (const name of cases) {
  const batch = name.startsWith('b8') ? 8 : 1
  const adapters = name.endsWith('a')
  if (adapters && ids.length === 0) continue
  const steps = batch === 1 ? tokens : Math.max(1, tokens >> 2)
  // decode = time(1 + steps tokens) - time(1 token) (prompt + first token); lower of two prefill samples
  const p1 = await timed(batch, adapters, 1)
  const p2 = await timed(batch, adapters, 1)
  const pre = p1.ms < p2.ms ? p1 : p2
  const full = await timed(batch, adapters, 1 + steps)
  // not timed: the logits of the same run, hashed (as the bench, the timed runs return none)
  const check = await timed(batch, adapters, 1 + steps, 'hash')
  const n = batch * steps
  const decodeMs = full.ms - pre.ms
  const cpuMs = full.cpuMs - Math.min(p1.cpuMs, p2.cpuMs)
  console.log(JSON.stringify({ case: name, tokS: (n * 1000) / decodeMs, cpuMsPerTok: cpuMs / n, wallMsPerTok: decodeMs / n, hash: check.hash }))
}
engine.close()
