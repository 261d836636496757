// Sampling (ARITHMETIC.md section 13): counter-based RNG keyed by (seed, requestId, sample, step).
import t from 'tap'
import { NativeErrorCode } from '../../native/index.ts'
import { engineWith, makeModel, prompt, tempDir } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)
const modelDir = makeModel(dir, 'model')

t.test('sampled outputs are reproducible and keyed by seed / request id / sample', async (t) => {
  const engine = await engineWith(modelDir)
  t.teardown(() => engine.close())
  const base = { prompt: prompt(3, 10), maxTokens: 24, temperature: 1.5, seed: 42, requestId: 7 }
  const [a, b] = await engine.generate([base, base])
  t.same(a.completions[0].tokens, b.completions[0].tokens, 'same key, same tokens')
  const [again] = await engine.generate([base])
  t.same(again.completions[0].tokens, a.completions[0].tokens, 'same key in a later call, same tokens')
  const [otherSeed, otherId] = await engine.generate([
    { ...base, seed: 43 },
    { ...base, requestId: 8 },
  ])
  t.not(otherSeed.completions[0].tokens.join(), a.completions[0].tokens.join(), 'different seed, different tokens')
  t.not(otherId.completions[0].tokens.join(), a.completions[0].tokens.join(), 'different request id, different tokens')
  const [fork] = await engine.generate([{ ...base, n: 3 }])
  t.equal(fork.completions.length, 3, 'n completions')
  t.same(fork.completions[0].tokens, a.completions[0].tokens, 'completion 0 equals n=1')
  t.not(fork.completions[1].tokens.join(), fork.completions[2].tokens.join(), 'completions 1 and 2 differ')
  t.ok(engine.stats().kvCowCopies > 0, 'forks shared prompt blocks copy-on-write')
  t.equal(engine.stats().kvBlocksFree, engine.stats().kvBlocksTotal, 'all KV blocks returned')
})

t.test('greedy, top-k=1, top-k and top-p restrictions', async (t) => {
  const engine = await engineWith(modelDir)
  t.teardown(() => engine.close())
  const p = prompt(4, 12)
  const [greedy, topk1, lowTemp] = await engine.generate([
    { prompt: p, maxTokens: 12, logits: 'full' },
    { prompt: p, maxTokens: 12, temperature: 2, topK: 1, seed: 1 },
    { prompt: p, maxTokens: 12, temperature: 1, topP: 1e-6, seed: 1 },
  ])
  t.same(topk1.completions[0].tokens, greedy.completions[0].tokens, 'top-k 1 is greedy')
  t.same(lowTemp.completions[0].tokens, greedy.completions[0].tokens, 'tiny top-p keeps only the best token')
  const logits = greedy.completions[0].logits!
  for (let s = 0; s < logits.length; s++) {
    const best = logits[s].reduce((bi, v, i, arr) => (v > arr[bi] ? i : bi), 0)
    t.equal(greedy.completions[0].tokens[s], best, `greedy step ${s} is the argmax`)
  }
  const [k3] = await engine.generate([{ prompt: p, maxTokens: 1, temperature: 5, topK: 3, seed: 9, n: 20, logits: 'full' }])
  const first = k3.completions[0].logits![0]
  const top3 = Array.from(first.keys())
    .sort((a, b) => first[b] - first[a] || a - b)
    .slice(0, 3)
  for (const [i, c] of k3.completions.entries()) t.ok(top3.includes(c.tokens[0]), `completion ${i} sampled from the top 3`)
})

t.test('stop tokens end a completion', async (t) => {
  const engine = await engineWith(modelDir)
  t.teardown(() => engine.close())
  const p = prompt(4, 12)
  const [g] = await engine.generate([{ prompt: p, maxTokens: 12 }])
  const stopAt = g.completions[0].tokens[3]
  const [s] = await engine.generate([{ prompt: p, maxTokens: 12, stopTokens: [stopAt] }])
  const idx = g.completions[0].tokens.indexOf(stopAt)
  t.same(s.completions[0].tokens, g.completions[0].tokens.slice(0, idx + 1), 'output ends with the stop token')
  t.equal(s.completions[0].finishReason, 'stop', 'finish reason stop')
  t.equal(g.completions[0].finishReason, 'length', 'finish reason length')
})

t.test('stats never wait for a running generate', async (t) => {
  const lines: string[] = []
  const sink = (_: object, msg: string): void => void lines.push(msg)
  const engine = await engineWith(modelDir, { maxBatchTokens: 4, prefillChunk: 4, logger: { debug: sink, info: sink, warn: sink, error: sink } })
  t.teardown(() => engine.close())
  t.ok(
    lines.some((l) => l.startsWith('model loaded')),
    'native log lines reach the logger',
  )
  let done = false
  const pending = engine.generate(Array.from({ length: 8 }, (_, i) => ({ prompt: prompt(i, 60), maxTokens: 40 })))
  void pending.then(
    () => (done = true),
    () => (done = true),
  )
  const seen = new Set<number>()
  // poll on the event loop while the generate runs on the thread pool
  while (!done) {
    seen.add(engine.stats().steps)
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  const res = await pending
  const final = engine.stats().steps
  t.ok(
    [...seen].some((v) => v > 0 && v < final),
    `saw intermediate step counts while generating (${seen.size} distinct, final ${final})`,
  )
  t.equal(res.length, 8, 'generate completed')
  t.equal(engine.stats().kvBlocksFree, engine.stats().kvBlocksTotal, 'KV blocks returned')
})

t.test('concurrent generate calls are serialised; close waits for none and refuses while busy', async (t) => {
  const engine = await engineWith(modelDir)
  const a = { prompt: prompt(11, 20), maxTokens: 10, logits: 'hash' as const }
  const b = { prompt: prompt(12, 5), maxTokens: 10, logits: 'hash' as const, temperature: 0.5, seed: 1 }
  const [ra] = await engine.generate([a])
  const [rb] = await engine.generate([b])
  const both = Promise.all([engine.generate([a]), engine.generate([b])])
  try {
    engine.close()
    t.fail('close while busy must throw')
  } catch (err) {
    t.equal((err as { code?: string }).code, NativeErrorCode.INVALID_ARGUMENT, 'close refused while an operation runs')
  }
  const [[ca], [cb]] = await both
  t.equal(ca.completions[0].logitsHash, ra.completions[0].logitsHash, 'first concurrent call equals the sequential result')
  t.equal(cb.completions[0].logitsHash, rb.completions[0].logitsHash, 'second concurrent call equals the sequential result')
  engine.close()
  t.throws(() => engine.stats(), 'calls after close throw')
})
