// Merge mode (serving option): W' = W + scale*B*A in a copy of the base weights. It must match
// the unmerged (consensus) path within a stated tolerance, and unmerging restores the unmerged
// bits exactly.
import t from 'tap'
import { engineWith, makeAdapter, makeModel, prompt, tempDir } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)
const adapterDir = makeAdapter(dir, 'a', { rank: 16, seed: 3 })
const otherDir = makeAdapter(dir, 'b', { rank: 8, seed: 4 })

// Merged and unmerged round differently (one f32 weight rounding vs two-stage LoRA); measured
// worst logit difference on this model: ~1e-6. Stated tolerance: 1e-4 absolute.
const MERGE_TOLERANCE = 1e-4

for (const dtype of ['f32', 'bf16'] as const)
  t.test(`${dtype} base: merged output matches unmerged within tolerance; unmerge restores bits`, async (t) => {
    const modelDir = makeModel(dir, `model-${dtype}`, { dtype })
    const engine = await engineWith(modelDir, { threads: 2 })
    t.teardown(() => engine.close())
    const a = await engine.loadAdapter(adapterDir)
    const b = await engine.loadAdapter(otherDir)
    const reqs = [
      { prompt: prompt(5, 30), adapterId: a.id, maxTokens: 8, logits: 'full' as const },
      { prompt: prompt(6, 12), adapterId: b.id, maxTokens: 8, logits: 'full' as const },
      { prompt: prompt(8, 9), maxTokens: 8, logits: 'full' as const },
    ]
    const unmerged = await engine.generate(reqs)
    await engine.mergeAdapter(a.id)
    t.equal((await engine.listAdapters()).find((x) => x.id === a.id)?.merged, true, 'adapter reported merged')
    const merged = await engine.generate(reqs)
    let worst = 0
    const u = unmerged[0].completions[0]
    const m = merged[0].completions[0]
    t.same(m.tokens, u.tokens, 'merged greedy tokens equal unmerged')
    for (let s = 0; s < u.logits!.length; s++)
      for (let v = 0; v < u.logits![s].length; v++) worst = Math.max(worst, Math.abs(u.logits![s][v] - m.logits![s][v]))
    t.ok(worst < MERGE_TOLERANCE, `max merged-vs-unmerged logit difference ${worst.toExponential(2)} < ${MERGE_TOLERANCE}`)
    t.equal(merged[1].completions[0].logitsHash, unmerged[1].completions[0].logitsHash, 'other adapter unaffected by merge (bitwise)')
    t.equal(merged[2].completions[0].logitsHash, unmerged[2].completions[0].logitsHash, 'base requests unaffected by merge (bitwise)')
    await engine.unmergeAdapter()
    const again = await engine.generate(reqs)
    t.equal(again[0].completions[0].logitsHash, u.logitsHash, 'unmerge restores the unmerged bits')
  })
