// Failure in the middle of generate (native/include/openledger-infer.h, oli_engine_generate): a
// fault injected in step k of a batch that has chunked prefills, copy-on-write forks and adapters
// pinned (returned status, thrown std::bad_alloc, thrown std::runtime_error) fails the call with a
// typed error, releases every KV block, reservation and adapter pin, and leaves the engine serving
// bit-identical results.
import t from 'tap'
import { NativeError, NativeErrorCode } from '../../native/index.ts'
import type { DebugFault, GenerateRequest } from '../../native/index.ts'
import { engineWith, makeAdapter, makeModel, prompt, tempDir } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)
const modelDir = makeModel(dir, 'model')
const adapterDirs = [makeAdapter(dir, 'a', { seed: 1, rank: 4 }), makeAdapter(dir, 'b', { seed: 2, rank: 8 })]
// Small steps so the batch takes many: chunked prefill, forks (n = 3) sharing prompt blocks.
const options = { kvBlockSize: 4, kvBlocks: 96, maxBatchTokens: 12, prefillChunk: 5, debugFaultInjection: true }

const batch = (ids: string[]): GenerateRequest[] => [
  { prompt: prompt(1, 23), adapterId: ids[0], maxTokens: 6, logits: 'hash' },
  { prompt: prompt(2, 9), adapterId: ids[1], maxTokens: 6, n: 3, temperature: 0.8, seed: 5, requestId: 1, logits: 'hash' },
  { prompt: prompt(3, 14), maxTokens: 6, logits: 'hash' },
  { prompt: prompt(4, 31), adapterId: ids[0], maxTokens: 4, n: 2, temperature: 1.2, seed: 6, requestId: 2, logits: 'hash' },
]

const cases: [DebugFault, string][] = [
  ['status', NativeErrorCode.INTERNAL],
  ['badAlloc', NativeErrorCode.OUT_OF_MEMORY],
  ['exception', NativeErrorCode.INTERNAL],
]

t.test('a failure mid-generate releases everything and the engine keeps serving', async (t) => {
  const engine = await engineWith(modelDir, options)
  t.teardown(() => engine.close())
  const ids: string[] = []
  for (const d of adapterDirs) ids.push((await engine.loadAdapter(d)).id)
  const s0 = engine.stats()
  const want = (await engine.generate(batch(ids))).map((r) => r.completions.map((c) => c.logitsHash))
  const totalSteps = engine.stats().steps - s0.steps
  t.ok(totalSteps >= 12, `the batch takes ${totalSteps} steps`)
  for (const [kind, code] of cases) {
    for (const step of [1, 2, 5, Math.floor(totalSteps / 2), totalSteps]) {
      const label = `${kind} in step ${step}`
      const before = engine.stats()
      engine.debugInjectFault(kind, step)
      try {
        await engine.generate(batch(ids))
        t.fail(`${label}: expected ${code}`)
      } catch (err) {
        t.ok(err instanceof NativeError, `${label}: NativeError`)
        t.equal((err as NativeError).code, code, `${label}: ${code}`)
      }
      const s = engine.stats()
      t.equal(s.steps - before.steps, step - 1, `${label}: failed mid-batch, after ${step - 1} completed steps`)
      t.equal(s.kvBlocksFree, s.kvBlocksTotal, `${label}: every KV block free`)
      t.equal(s.kvBlocksReserved, 0, `${label}: no reservation left`)
      t.equal(s.adapterPins, 0, `${label}: no adapter pin left`)
      const again = (await engine.generate(batch(ids))).map((r) => r.completions.map((c) => c.logitsHash))
      t.same(again, want, `${label}: the next call gives the same results`)
    }
  }
  // An armed fault applies to one call only; a fault past the last step never fires.
  engine.debugInjectFault('exception', totalSteps + 1)
  t.same(
    (await engine.generate(batch(ids))).map((r) => r.completions.map((c) => c.logitsHash)),
    want,
    'fault beyond the last step: no effect',
  )
  t.same(
    (await engine.generate(batch(ids))).map((r) => r.completions.map((c) => c.logitsHash)),
    want,
    'disarmed afterwards',
  )
})

t.test('fault injection needs the explicit debug option', async (t) => {
  const engine = await engineWith(modelDir)
  t.teardown(() => engine.close())
  t.throws(() => engine.debugInjectFault('status', 1), { code: NativeErrorCode.INVALID_ARGUMENT }, 'refused without debugFaultInjection')
})
