// Model weight files: read once into private memory (never mapped) and hashed. The model identity
// is the documented composition of per-file sha256 (checked here with node:crypto), and a weights
// file truncated or rewritten after load changes nothing: the process does not fault (a mapping
// would SIGBUS) and results stay bit-identical (a mapping would show the new bytes).
import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { syntheticModelTensors, writeSafetensors } from '../../native/index.ts'
import { engineWith, makeModel, prompt, tempDir, tinyModel } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)

const sha = (b: Buffer): Buffer => createHash('sha256').update(b).digest()

/** The identity of native/include/openledger-infer.h (oli_model_info.id), computed independently. */
function modelIdentity(modelDir: string): string {
  const parts = [sha(readFileSync(join(modelDir, 'config.json')))]
  const files = readdirSync(modelDir)
  if (files.includes('model.safetensors.index.json')) {
    parts.push(sha(readFileSync(join(modelDir, 'model.safetensors.index.json'))))
    const index = JSON.parse(readFileSync(join(modelDir, 'model.safetensors.index.json'), 'utf8')) as { weight_map: Record<string, string> }
    const shards = [...new Set(Object.values(index.weight_map))].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    for (const s of shards) parts.push(sha(readFileSync(join(modelDir, s))))
  } else {
    parts.push(sha(readFileSync(join(modelDir, 'model.safetensors'))))
  }
  return sha(Buffer.concat(parts)).toString('hex')
}

const requests = [
  { prompt: prompt(1, 20), maxTokens: 6, logits: 'hash' as const },
  { prompt: prompt(2, 9), maxTokens: 6, logits: 'hash' as const, temperature: 0.9, seed: 4, requestId: 1 },
]

t.test('model identity is the sha256 composition of its files', async (t) => {
  for (const [name, spec] of [
    ['single-f32', {}],
    ['single-bf16', { dtype: 'bf16' as const }],
    ['sharded', { shards: 3 }],
  ] as const) {
    const d = makeModel(dir, `id-${name}`, { seed: 3, ...spec })
    const engine = await engineWith(d)
    try {
      const info = engine.modelInfo()
      t.equal(info.id, modelIdentity(d), `${name}: id matches node:crypto`)
      t.ok(info.fileBytes > 0, `${name}: file bytes reported`)
    } finally {
      engine.close()
    }
  }
  const a = makeModel(dir, 'id-a', { seed: 11 })
  const b = makeModel(dir, 'id-b', { seed: 12 })
  const ea = await engineWith(a)
  const eb = await engineWith(b)
  t.not(ea.modelInfo().id, eb.modelInfo().id, 'different weights, different id')
  ea.close()
  eb.close()
})

for (const dtype of ['f32', 'bf16'] as const) {
  t.test(`${dtype}: truncating or rewriting the weights after load changes nothing`, async (t) => {
    // F32 and BF16 tensors are served in place on the CPU; they must come from private memory.
    const d = makeModel(dir, `mut-${dtype}`, { seed: 21, dtype })
    const engine = await engineWith(d)
    t.teardown(() => engine.close())
    const id = engine.modelInfo().id
    const want = (await engine.generate(requests)).map((r) => r.completions[0].logitsHash)
    const file = join(d, 'model.safetensors')
    truncateSync(file, 0)
    const afterTruncate = (await engine.generate(requests)).map((r) => r.completions[0].logitsHash)
    t.same(afterTruncate, want, 'file truncated to 0 bytes: generate still runs, same logits bits')
    writeSafetensors(file, syntheticModelTensors({ ...tinyModel, seed: 99, dtype }))
    const afterRewrite = (await engine.generate(requests)).map((r) => r.completions[0].logitsHash)
    t.same(afterRewrite, want, 'file rewritten with other weights: same logits bits')
    writeFileSync(file, Buffer.alloc(0))
    t.equal(engine.modelInfo().id, id, 'identity describes the bytes loaded')
  })
}
