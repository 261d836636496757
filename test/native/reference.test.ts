// Correctness against the float64 reference (test/native/reference.ts): naive attention with a
// full score matrix and explicitly merged W + scale*B*A. The engine computes in f32 with the
// ARITHMETIC.md order, so agreement is within a tight tolerance, not bitwise.
import t from 'tap'
import type { Test } from 'tap'
import { defaultSyntheticAdapterSpec } from '../../native/index.ts'
import type { SyntheticAdapterSpec, SyntheticModelSpec } from '../../native/index.ts'
import { engineWith, makeAdapter, makeModel, prompt, tempDir, tinyModel } from './fixtures.ts'
import { ReferenceModel } from './reference.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)

// Absolute bound on logits of magnitude ~1-5. Measured worst case: 4e-7 (f32 models), 1.5e-5
// (bf16, rope_theta 5e5: f32 RoPE tables vs float64 angles).
const TOLERANCE = 5e-5

async function check(t: Test, label: string, model: Partial<SyntheticModelSpec>, adapter?: Partial<SyntheticAdapterSpec>): Promise<void> {
  const spec = { ...tinyModel, ...model }
  const modelDir = makeModel(dir, `${label}-model`, model)
  const fullAdapter: SyntheticAdapterSpec | undefined = adapter ? { ...defaultSyntheticAdapterSpec, initScale: 0.2, ...adapter } : undefined
  const engine = await engineWith(modelDir, { kvBlockSize: 8 })
  try {
    const id = fullAdapter ? (await engine.loadAdapter(makeAdapter(dir, `${label}-adapter`, fullAdapter, model))).id : null
    const p = prompt(7, 40, spec.vocabSize) // 40 > one 32-key tile
    const [res] = await engine.generate([{ prompt: p, adapterId: id, maxTokens: 6, logits: 'full' }])
    const c = res.completions[0]
    const refModel = new ReferenceModel(spec, fullAdapter)
    const ref = refModel.logits([...p, ...c.tokens.slice(0, -1)])
    const ra = refModel.attribution
    t.equal(c.attribution.terms, ra.terms, `${label}: attribution terms`)
    if (ra.terms > 0) {
      t.ok(Math.abs(c.attribution.deltaNorm / ra.deltaNorm - 1) < 1e-5, `${label}: deltaNorm ${c.attribution.deltaNorm} vs reference ${ra.deltaNorm}`)
      t.ok(Math.abs(c.attribution.baseNorm / ra.baseNorm - 1) < 1e-5, `${label}: baseNorm ${c.attribution.baseNorm} vs reference ${ra.baseNorm}`)
    }
    let worst = 0
    for (let s = 0; s < c.tokens.length; s++) {
      const want = ref[p.length - 1 + s]
      const got = c.logits![s]
      for (let v = 0; v < want.length; v++) worst = Math.max(worst, Math.abs(got[v] - want[v]))
      const order = Array.from(want.keys()).sort((a, b) => want[b] - want[a])
      if (want[order[0]] - want[order[1]] > 1e-3) t.equal(c.tokens[s], order[0], `${label}: step ${s} greedy token is the reference argmax`)
    }
    t.ok(worst < TOLERANCE, `${label}: max |logit - reference| = ${worst.toExponential(2)} < ${TOLERANCE}`)
  } finally {
    engine.close()
  }
}

t.test('base model (GQA 4/2 heads) matches the reference', (t) => check(t, 'base', {}))
t.test('all-module adapter matches explicit merged weights', (t) => check(t, 'lora', {}, { rank: 8 }))
t.test('rslora adapter on some modules matches', (t) =>
  check(t, 'rslora', {}, { rank: 16, alpha: 8, useRslora: true, targets: ['q_proj', 'o_proj', 'down_proj'] }),
)
t.test('bf16 tied-embedding model with an f16 adapter matches', (t) =>
  check(t, 'bf16', { dtype: 'bf16', tieWordEmbeddings: true, numKvHeads: 4, ropeTheta: 500000 }, { rank: 4, dtype: 'f16' }),
)
t.test('odd shapes (lane tails everywhere: hidden 72, head_dim 18, MLP 100, rank 5) match', (t) =>
  check(t, 'odd', { hiddenSize: 72, intermediateSize: 100, numHeads: 4, numKvHeads: 1, vocabSize: 77 }, { rank: 5, alpha: 7 }),
)
