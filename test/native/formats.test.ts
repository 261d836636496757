// Weight formats: BF16/F16 storage widens exactly (bitwise equal to an F32 file holding the same
// rounded values), sharded checkpoints equal single files, tied embeddings load.
import { join } from 'node:path'
import { mkdirSync, writeFileSync } from 'node:fs'
import t from 'tap'
import { syntheticModelConfig, syntheticModelTensors, writeSafetensors } from '../../native/index.ts'
import type { SyntheticModelSpec } from '../../native/index.ts'
import { engineWith, makeModel, prompt, tempDir, tinyModel } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)

async function hashes(modelDir: string, options: Parameters<typeof engineWith>[1] = {}): Promise<string[]> {
  const engine = await engineWith(modelDir, options)
  try {
    const res = await engine.generate([
      { prompt: prompt(1, 20), maxTokens: 6, logits: 'hash' },
      { prompt: prompt(2, 7), maxTokens: 6, logits: 'hash' },
    ])
    return res.map((r) => r.completions[0].logitsHash!)
  } finally {
    engine.close()
  }
}

function f32Copy(name: string, spec: SyntheticModelSpec): string {
  const d = join(dir, name)
  mkdirSync(d, { recursive: true })
  writeFileSync(join(d, 'config.json'), JSON.stringify(syntheticModelConfig(spec)))
  writeSafetensors(
    join(d, 'model.safetensors'),
    syntheticModelTensors(spec).map((x) => ({ ...x, dtype: 'f32' as const })),
  )
  return d
}

for (const dtype of ['bf16', 'f16'] as const) {
  t.test(`${dtype} storage equals f32 storage of the same values (bitwise)`, async (t) => {
    const spec = { ...tinyModel, dtype, seed: 5 }
    const stored = makeModel(dir, `m-${dtype}`, spec)
    const wide = f32Copy(`m-${dtype}-as-f32`, spec)
    const want = await hashes(wide)
    t.same(await hashes(stored), want, 'same logits bits')
    t.same(await hashes(stored, { cpuKernels: 'scalar', threads: 2 }), want, 'same bits with scalar kernels, 2 threads')
    t.same(await hashes(stored, { cpuKernels: 'avx2' }), want, 'same bits with AVX2 kernels')
  })
}

t.test('sharded checkpoint equals the single file (bitwise)', async (t) => {
  const single = makeModel(dir, 'single', { seed: 9 })
  const sharded = makeModel(dir, 'sharded', { seed: 9, shards: 3 })
  t.same(await hashes(sharded), await hashes(single), 'same logits bits')
})

t.test('tied embeddings and model info', async (t) => {
  const d = makeModel(dir, 'tied', { tieWordEmbeddings: true, dtype: 'bf16' })
  const engine = await engineWith(d)
  t.teardown(() => engine.close())
  const info = engine.modelInfo()
  t.equal(info.tiedEmbeddings, true, 'tied')
  t.equal(info.sourceDtype, 'bf16', 'source dtype')
  t.equal(info.headDim, tinyModel.hiddenSize / tinyModel.numHeads, 'head dim')
  const [r] = await engine.generate([{ prompt: [5, 6, 7], maxTokens: 4 }])
  t.equal(r.completions[0].tokens.length, 4, 'generates')
})
