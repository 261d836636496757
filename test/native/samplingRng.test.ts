// native/ARITHMETIC.md section 13, reimplemented here independently: the counter-based RNG in
// BigInt (mod 2^64) and the temperature / top-k / top-p selection in binary64. The RNG's u must
// equal the engine's bit for bit; the engine's sampled tokens must be the ones the documented
// procedure picks with that u from the logits it reports. The selection is checked in binary64
// (exp_f approximated by Math.exp, a few f32 ulps apart), so a draw whose target lies within a
// relative 1e-5 of a cumulative boundary is counted as undecidable here and left out.
import t from 'tap'
import { samplerUniform } from '../../native/index.ts'
import type { GenerateRequest } from '../../native/index.ts'
import { engineWith, makeModel, prompt, tempDir } from './fixtures.ts'

const M64 = (1n << 64n) - 1n

/** SplitMix64 finaliser, as written in ARITHMETIC.md section 13. */
function mix(z: bigint): bigint {
  z = (z + 0x9e3779b97f4a7c15n) & M64
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64
  return z ^ (z >> 31n)
}

/** u = f32(h >> 40) * 2^-24: a 24-bit integer scaled by a power of two, exact in binary64. */
function uniform(seed: bigint, requestId: bigint, sample: bigint, step: bigint): number {
  const h = mix(mix(mix(mix(seed) ^ requestId) ^ sample) ^ step)
  return Number(h >> 40n) * 2 ** -24
}

t.test('mix is SplitMix64 (published first outputs)', async (t) => {
  // SplitMix64 seeded with 0 yields mix(0), mix(gamma), ...: 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4.
  t.equal(mix(0n), 0xe220a8397b1dcdafn, 'mix(0)')
  t.equal(mix(0x9e3779b97f4a7c15n), 0x6e789e6aa1b965f4n, 'mix(gamma)')
})

t.test('the engine uniform equals the documented RNG bit for bit', async (t) => {
  const edge = [0n, 1n, 2n, 0x7fffffffffffffffn, 0x8000000000000000n, M64, 0x9e3779b97f4a7c15n]
  let x = 0x243f6a8885a308d3n // fixed pseudo-random keys (pi digits as the LCG seed)
  const next = (): bigint => (x = (x * 6364136223846793005n + 1442695040888963407n) & M64)
  const keys: bigint[][] = []
  for (const a of edge) for (const b of edge) keys.push([a, b, b & 7n, a & 0xffn])
  for (let i = 0; i < 400; i++) keys.push([next(), next(), next() & 15n, next() & 4095n])
  let mismatches = 0
  for (const [seed, rid, sample, step] of keys) {
    const want = uniform(seed, rid, sample, step)
    const got = samplerUniform(seed, rid, sample, step)
    if (got !== want) {
      mismatches++
      t.fail(`u(${seed}, ${rid}, ${sample}, ${step}) = ${got}, documented ${want}`)
    }
  }
  t.equal(mismatches, 0, `${keys.length} keys, all equal`)
  t.ok(
    keys.every(([s, r, n, k]) => {
      const u = uniform(s, r, n, k)
      return u >= 0 && u < 1
    }),
    'u in [0, 1)',
  )
})

/** Token chosen by section 13 with u, or undefined when binary64 cannot decide it safely. */
function sampleDoc(logits: Float32Array, temperature: number, topK: number, topP: number, u: number): number | undefined {
  const V = logits.length
  const z = Array.from(logits, (l) => {
    const v = Math.fround(l / temperature)
    return Number.isNaN(v) ? -Infinity : v
  })
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => z[b] - z[a] || a - b)
  const k = topK > 0 && topK < V ? topK : V
  const m = z[order[0]]
  const e = order.slice(0, k).map((i) => Math.exp(Math.fround(z[i] - m)))
  const total = e.reduce((a, b) => a + b, 0)
  const tol = 1e-5 * total
  let kept = k
  let keptTotal = total
  if (topP < 1) {
    const thr = Math.fround(topP) * total
    let cum = 0
    for (let i = 0; i < k; i++) {
      cum += e[i]
      if (Math.abs(cum - thr) < tol) return undefined
      if (cum >= thr) {
        kept = i + 1
        break
      }
    }
    keptTotal = cum
  }
  const target = u * keptTotal
  let cum = 0
  for (let i = 0; i < kept; i++) {
    cum += e[i]
    if (Math.abs(target - cum) < tol) return undefined
    if (target < cum) return order[i]
  }
  return order[kept - 1]
}

t.test('sampled tokens follow the documented selection with the documented u', async (t) => {
  const { dir, cleanup } = tempDir()
  t.teardown(cleanup)
  const engine = await engineWith(makeModel(dir, 'model', { seed: 17 }))
  t.teardown(() => engine.close())
  const configs = [
    { temperature: 1, topK: 0, topP: 1 },
    { temperature: 2.5, topK: 0, topP: 1 },
    { temperature: 0.7, topK: 5, topP: 1 },
    { temperature: 1.3, topK: 0, topP: 0.8 },
    { temperature: 4, topK: 20, topP: 0.95 },
  ]
  const keys: [bigint, bigint][] = [
    [0n, 0n],
    [1n, 2n],
    [42n, 7n],
    [0xdeadbeefcafebaben, 12345678901234567890n],
    [M64, M64 - 1n],
  ]
  const requests: GenerateRequest[] = []
  for (const [ci, c] of configs.entries())
    for (const [ki, [seed, requestId]] of keys.entries())
      requests.push({ prompt: prompt(ci * 10 + ki, 5 + ki), maxTokens: 12, n: 3, seed, requestId, logits: 'full', ...c })
  const results = await engine.generate(requests)
  let checked = 0
  let undecided = 0
  for (const [ri, r] of results.entries()) {
    const q = requests[ri]
    for (const [sample, c] of r.completions.entries())
      for (let step = 0; step < c.tokens.length; step++) {
        const u = uniform(BigInt(q.seed!), BigInt(q.requestId!), BigInt(sample), BigInt(step))
        const want = sampleDoc(c.logits![step], q.temperature!, q.topK!, q.topP!, u)
        if (want === undefined) {
          undecided++
          continue
        }
        checked++
        if (c.tokens[step] !== want) t.fail(`request ${ri} completion ${sample} step ${step}: engine ${c.tokens[step]}, documented ${want}`)
      }
  }
  t.ok(checked >= 800, `${checked} sampled tokens equal the documented choice`)
  t.ok(undecided <= checked / 50, `${undecided} draws too close to a boundary to decide in binary64`)
  const [seedA, seedB] = [results[0].completions, results[1].completions]
  t.not(seedA[0].tokens.join(), seedB[0].tokens.join(), 'different keys, different draws')
})
