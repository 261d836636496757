// CUDA backend, whole-engine level: generate() on the CUDA backend gives exactly the CPU
// backend's tokens, logits bits, logits hashes and attribution (native/ARITHMETIC.md section 14),
// for mixed adapter batches, sampling, chunked prefill, several KV block sizes, copy-on-write
// completions and merge mode. GPU cases skip with a stated reason when the addon has no CUDA
// backend or no CUDA device is present; the device-selection cases run everywhere.
import t from 'tap'
import { NativeError, NativeErrorCode, nativeInfo } from '../../native/index.ts'
import type { Completion, EngineOptions, GenerateRequest } from '../../native/index.ts'
import { engineWith, makeAdapter, makeModel, prompt, tempDir } from './fixtures.ts'

const info = nativeInfo()
const gpuSkip: string | false = !info.cudaCompiled
  ? 'addon built without the CUDA backend (nvcc absent or with_cuda=0)'
  : info.cudaDeviceCount === 0
    ? 'no CUDA device present (the addon reports 0 usable devices)'
    : false

/** A completion reduced to what must be identical across backends (logits as raw bits). */
function digest(c: Completion): unknown {
  return {
    tokens: c.tokens,
    finishReason: c.finishReason,
    logitsHash: c.logitsHash,
    logitsBits: c.logits?.map((l) => Buffer.from(l.buffer, l.byteOffset, l.byteLength).toString('hex')),
    attribution: c.attribution,
  }
}

type Scenario = {
  name: string
  options: Partial<EngineOptions>
  merge?: boolean
  requests: (ids: string[]) => GenerateRequest[]
}

const scenarios: Scenario[] = [
  {
    name: 'mixed adapters, greedy and sampled, full logits',
    options: {},
    requests: (ids) => [
      { prompt: prompt(1, 40), adapterId: ids[0], maxTokens: 6, logits: 'full' },
      { prompt: prompt(2, 9), adapterId: ids[1], maxTokens: 6, logits: 'full', temperature: 0.8, seed: 3, requestId: 1 },
      { prompt: prompt(3, 17), maxTokens: 6, logits: 'full' },
      { prompt: prompt(4, 70), adapterId: ids[2], maxTokens: 6, logits: 'hash', temperature: 1.1, topK: 20, topP: 0.9, seed: 9, requestId: 2 },
    ],
  },
  {
    name: 'chunked prefill, block size 1, small step budget',
    options: { kvBlockSize: 1, kvBlocks: 2048, maxBatchTokens: 24, prefillChunk: 7 },
    requests: (ids) => [
      { prompt: prompt(5, 50), adapterId: ids[1], maxTokens: 5, logits: 'hash' },
      { prompt: prompt(6, 33), adapterId: ids[0], maxTokens: 5, logits: 'hash' },
      { prompt: prompt(7, 3), maxTokens: 5, logits: 'hash' },
    ],
  },
  {
    name: 'copy-on-write completions (n = 3), block size 7',
    options: { kvBlockSize: 7 },
    requests: (ids) => [{ prompt: prompt(8, 30), adapterId: ids[2], maxTokens: 6, n: 3, temperature: 0.9, seed: 5, requestId: 3, logits: 'hash' }],
  },
  {
    name: 'merge mode (serving option)',
    options: {},
    merge: true,
    requests: (ids) => [
      { prompt: prompt(9, 21), adapterId: ids[0], maxTokens: 6, logits: 'full' },
      { prompt: prompt(10, 12), adapterId: ids[1], maxTokens: 6, logits: 'hash' },
    ],
  },
]

t.test('CUDA generate() equals CPU generate() bit for bit', { skip: gpuSkip }, async (t) => {
  const { dir, cleanup } = tempDir('oli-cuda-')
  t.teardown(cleanup)
  // head_dim 32 and hidden 128 exercise lane tails of D and several attention tiles.
  const shape = { hiddenSize: 128, intermediateSize: 344, numHeads: 4, numKvHeads: 2, numLayers: 2, vocabSize: 211 }
  const modelDir = makeModel(dir, 'model', shape)
  const adapterDirs = [
    makeAdapter(dir, 'a8', { rank: 8, seed: 1 }, shape),
    makeAdapter(dir, 'a16', { rank: 16, seed: 2, targets: ['q_proj', 'v_proj', 'down_proj'] }, shape),
    makeAdapter(dir, 'a64', { rank: 64, seed: 3, useRslora: true }, shape),
  ]
  for (const sc of scenarios) {
    const run = async (backend: 'cpu' | 'cuda') => {
      const engine = await engineWith(modelDir, { ...sc.options, backend })
      try {
        t.equal(engine.modelInfo().backend, backend, `${sc.name}: ${backend} backend active`)
        const ids: string[] = []
        for (const a of adapterDirs) ids.push((await engine.loadAdapter(a)).id)
        if (sc.merge) await engine.mergeAdapter(ids[0])
        const res = await engine.generate(sc.requests(ids))
        return res.map((r) => r.completions.map(digest))
      } finally {
        engine.close()
      }
    }
    const cpu = await run('cpu')
    const gpu = await run('cuda')
    t.same(gpu, cpu, `${sc.name}: tokens, logits bits, hashes and attribution identical`)
  }
})

t.test('device selection', async (t) => {
  if (info.cudaDeviceCount === 0) {
    // No device: 'cuda' is a typed error, 'auto' falls back to the CPU and the engine works.
    let code: unknown
    try {
      const engine = await engineWith('/nonexistent', { backend: 'cuda' })
      engine.close()
    } catch (err) {
      code = err instanceof NativeError ? err.code : err
    }
    t.equal(code, NativeErrorCode.BACKEND_UNAVAILABLE, 'backend cuda without a device rejects with NATIVE_ERROR_BACKEND_UNAVAILABLE')
  }
  const { dir, cleanup } = tempDir('oli-cuda-sel-')
  t.teardown(cleanup)
  const modelDir = makeModel(dir, 'model')
  const engine = await engineWith(modelDir, { backend: 'auto' })
  try {
    t.equal(engine.modelInfo().backend, info.cudaDeviceCount > 0 ? 'cuda' : 'cpu', 'auto picks cuda exactly when a device is usable')
    const [r] = await engine.generate([{ prompt: prompt(11, 5), maxTokens: 3 }])
    t.equal(r.completions[0].tokens.length, 3, 'the auto-selected backend generates')
  } finally {
    engine.close()
  }
})
