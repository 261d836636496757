// Bitwise determinism (native/ARITHMETIC.md section 14): a request's tokens, logits bits and
// attribution are identical alone, in batches with other requests/adapters, with 1 or 2 threads,
// scalar, AVX2 or AVX-512 kernels, KV block sizes 8/16/32, any prefill chunking, and as completion 0 of
// an n-way fork.
import t from 'tap'
import type { Test } from 'tap'
import { engineWith, makeAdapter, makeModel, prompt, tempDir } from './fixtures.ts'
import type { Completion, EngineOptions, GenerateRequest } from '../../native/index.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)
const modelDir = makeModel(dir, 'model')
const adapterDirs = [
  makeAdapter(dir, 'a1', { rank: 4, seed: 11 }),
  makeAdapter(dir, 'a2', { rank: 8, seed: 12, targets: ['q_proj', 'v_proj', 'down_proj'] }),
  makeAdapter(dir, 'a3', { rank: 16, seed: 13, useRslora: true, targets: ['k_proj', 'o_proj', 'gate_proj', 'up_proj'] }),
]

type Outcome = { tokens: number[]; hash: string; delta: number; base: number; first: Float32Array }

function outcome(c: Completion): Outcome {
  return {
    tokens: c.tokens,
    hash: c.logitsHash ?? '',
    delta: c.attribution.deltaNorm,
    base: c.attribution.baseNorm,
    first: c.logits?.[0] ?? new Float32Array(0),
  }
}

async function run(options: Partial<EngineOptions>, build: (ids: string[]) => GenerateRequest[], pick: number[]): Promise<Outcome[]> {
  const engine = await engineWith(modelDir, options)
  try {
    const ids: string[] = []
    for (const d of adapterDirs) ids.push((await engine.loadAdapter(d)).id)
    const results = await engine.generate(build(ids))
    return pick.map((i) => outcome(results[i].completions[0]))
  } finally {
    engine.close()
  }
}

// The two requests under test: greedy with adapter a1, sampled with adapter a3.
const target = (ids: string[]): GenerateRequest[] => [
  { prompt: prompt(1, 37), adapterId: ids[0], maxTokens: 10, logits: 'full', requestId: 1 },
  { prompt: prompt(2, 21), adapterId: ids[2], maxTokens: 10, logits: 'full', temperature: 0.9, topK: 30, topP: 0.95, seed: 99, requestId: 2 },
]

const others = (ids: string[], k: number): GenerateRequest[] =>
  Array.from({ length: k }, (_, i) => ({
    prompt: prompt(100 + i, 5 + ((i * 7) % 30)),
    adapterId: i % 4 === 3 ? null : ids[i % 3],
    maxTokens: 3 + (i % 9),
    temperature: i % 2 ? 0.7 : 0,
    seed: i,
    requestId: 1000 + i,
  }))

function same(t: Test, got: Outcome[], want: Outcome[], label: string): void {
  for (let i = 0; i < want.length; i++) {
    t.same(got[i].tokens, want[i].tokens, `${label}: request ${i} tokens`)
    t.equal(got[i].hash, want[i].hash, `${label}: request ${i} logits hash`)
    t.equal(got[i].delta, want[i].delta, `${label}: request ${i} attribution delta`)
    t.equal(got[i].base, want[i].base, `${label}: request ${i} attribution base`)
    t.ok(Buffer.from(got[i].first.buffer).equals(Buffer.from(want[i].first.buffer)), `${label}: request ${i} first-step logits bits`)
  }
}

t.test('bitwise identical across batch composition, threads, kernels, block sizes and chunking', async (t) => {
  const alone0 = await run({}, (ids) => [target(ids)[0]], [0])
  const alone1 = await run({}, (ids) => [target(ids)[1]], [0])
  const want = [alone0[0], alone1[0]]
  t.ok(want[0].hash.length === 64 && want[0].tokens.length === 10, 'baseline produced output')
  t.ok(want[0].delta > 0 && want[0].base > 0, 'adapter contributes')

  const both = await run({}, target, [0, 1])
  same(t, both, want, 'pair')
  for (const k of [1, 3, 6]) {
    const mixed = await run({}, (ids) => [...others(ids, k), ...target(ids), ...others(ids, k).reverse()], [k, k + 1])
    same(t, mixed, want, `batch with ${2 * k} others`)
  }
  same(t, await run({ threads: 2 }, (ids) => [...others(ids, 4), ...target(ids)], [4, 5]), want, 'threads=2')
  same(t, await run({ cpuKernels: 'scalar' }, target, [0, 1]), want, 'scalar kernels')
  same(t, await run({ cpuKernels: 'avx2', threads: 2 }, target, [0, 1]), want, 'AVX2 kernels')
  for (const kvBlockSize of [8, 32])
    same(t, await run({ kvBlockSize }, (ids) => [...target(ids), ...others(ids, 3)], [0, 1]), want, `kvBlockSize=${kvBlockSize}`)
  same(
    t,
    await run({ prefillChunk: 5, maxBatchTokens: 7, maxRunning: 3 }, (ids) => [...others(ids, 2), ...target(ids)], [2, 3]),
    want,
    'chunked prefill, small steps',
  )
  const forked = await run({}, (ids) => target(ids).map((r) => ({ ...r, n: 3 })), [0, 1])
  same(t, forked, want, 'completion 0 of n=3')
})

t.test('odd shapes: scalar, AVX2 and AVX-512 kernels, 1 and 2 threads, agree bitwise', async (t) => {
  const odd = { hiddenSize: 72, intermediateSize: 100, numHeads: 4, numKvHeads: 1, vocabSize: 77 }
  const m = makeModel(dir, 'odd-model', odd)
  const a = makeAdapter(dir, 'odd-adapter', { rank: 5, alpha: 7 }, odd)
  const outs: string[][] = []
  const configs = [
    {},
    { cpuKernels: 'scalar' as const },
    { cpuKernels: 'avx2' as const },
    { threads: 2 },
    { threads: 2, cpuKernels: 'scalar' as const, kvBlockSize: 3 },
    { threads: 2, cpuKernels: 'avx2' as const, kvBlockSize: 5 },
  ]
  for (const options of configs) {
    const engine = await engineWith(m, options)
    try {
      const kernels = (options as { cpuKernels?: string }).cpuKernels
      if (kernels) t.equal(engine.modelInfo().kernels, kernels, `${kernels} kernels active`)
      const { id } = await engine.loadAdapter(a)
      const res = await engine.generate([
        { prompt: prompt(1, 35, 77), adapterId: id, maxTokens: 6, logits: 'hash' },
        { prompt: prompt(2, 3, 77), maxTokens: 6, logits: 'hash', temperature: 1, seed: 4 },
      ])
      outs.push(res.map((r) => `${r.completions[0].logitsHash}:${r.completions[0].tokens.join(',')}:${r.completions[0].attribution.deltaNorm}`))
    } finally {
      engine.close()
    }
  }
  for (let i = 1; i < outs.length; i++) t.same(outs[i], outs[0], `configuration ${i} equals configuration 0`)
})
