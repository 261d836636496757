// Native logging (STYLE §6): the engine's lines reach the JS logger through a callback (a
// thread-safe function that drains the engine's queue on the JS thread) as they occur, in order,
// before the promise of the call that logged them settles; when the JS thread falls behind the
// bounded queue, the loss is counted in stats and announced by a warn line, never silent.
import t from 'tap'
import type { GenerateRequest, NativeLogger } from '../../native/index.ts'
import { engineWith, makeAdapter, makeModel, prompt, tempDir, tinyModel } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)
const modelDir = makeModel(dir, 'model')
const adapterDirs = [makeAdapter(dir, 'a', { seed: 1, rank: 2 }), makeAdapter(dir, 'b', { seed: 2, rank: 2 })]
const hd = tinyModel.hiddenSize / tinyModel.numHeads
const rank2 =
  4 *
  tinyModel.numLayers *
  2 *
  [
    [tinyModel.numHeads * hd, tinyModel.hiddenSize],
    [tinyModel.numKvHeads * hd, tinyModel.hiddenSize],
    [tinyModel.numKvHeads * hd, tinyModel.hiddenSize],
    [tinyModel.hiddenSize, tinyModel.numHeads * hd],
    [tinyModel.intermediateSize, tinyModel.hiddenSize],
    [tinyModel.intermediateSize, tinyModel.hiddenSize],
    [tinyModel.hiddenSize, tinyModel.intermediateSize],
  ].reduce((a, [o, i]) => a + o + i, 0)

type Line = { level: string; msg: string; settled: boolean }

function recorder(state: { settled: boolean }): { lines: Line[]; logger: NativeLogger } {
  const lines: Line[] = []
  const at =
    (level: string) =>
    (_: object, msg: string): void =>
      void lines.push({ level, msg, settled: state.settled })
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } }
}

// One adapter fits the host tier and one sequence runs at a time: every request evicts the other
// adapter and reloads its own, logging two debug lines, spread over the whole call (60 lines).
const options = { adapterCacheBytes: rank2 + 64, maxRunning: 1, maxBatchTokens: 8, prefillChunk: 8 }
const workload = (ids: string[]): GenerateRequest[] => Array.from({ length: 30 }, (_, i) => ({ prompt: prompt(i, 12), adapterId: ids[i % 2], maxTokens: 6 }))

t.test('lines are pushed while a call runs, in order, before it settles', async (t) => {
  const state = { settled: true }
  const { lines, logger } = recorder(state)
  const engine = await engineWith(modelDir, { ...options, logger })
  t.teardown(() => engine.close())
  t.ok(
    lines.some((l) => l.msg.startsWith('model loaded')),
    'model load line delivered before loadModel resolved',
  )
  const ids: string[] = []
  for (const d of adapterDirs) ids.push((await engine.loadAdapter(d)).id)
  t.ok(lines.filter((l) => l.msg.startsWith('adapter loaded')).length === 2, 'adapter load lines')
  lines.length = 0
  state.settled = false
  const pending = engine.generate(workload(ids))
  void pending.then(
    () => (state.settled = true),
    () => (state.settled = true),
  )
  await pending
  const reloads = lines.filter((l) => l.msg.startsWith('adapter reloaded from disk'))
  t.equal(reloads.length, 30, 'every reload logged (b, loaded last, evicted a)')
  t.ok(
    lines.every((l) => !l.settled),
    'every line delivered before the generate promise settled',
  )
  // In order: reloads alternate b, a, b, ... exactly as the requests were admitted.
  t.same(
    reloads.map((l) => l.msg.slice(-64)),
    Array.from({ length: 30 }, (_, i) => ids[i % 2]),
    'delivered in the order logged',
  )
  const evictions = lines.filter((l) => l.msg.startsWith('adapter evicted')).length
  t.equal(evictions, 30, 'every eviction logged')
  t.equal(lines.length, 60, 'nothing else')
  t.equal(engine.stats().logLinesDropped, 0, 'nothing dropped')
})

/** Forward steps the workload takes (measured once; the same for every run). */
async function workloadSteps(): Promise<number> {
  const engine = await engineWith(modelDir, options)
  try {
    const ids: string[] = []
    for (const d of adapterDirs) ids.push((await engine.loadAdapter(d)).id)
    const before = engine.stats().steps
    await engine.generate(workload(ids))
    return engine.stats().steps - before
  } finally {
    engine.close()
  }
}

t.test('lines reach the logger during a call, not only after it', async (t) => {
  const steps = await workloadSteps()
  const state = { settled: false }
  let duringCall = 0
  const engine = await engineWith(modelDir, {
    ...options,
    logger: {
      debug: () => void (state.settled ? 0 : duringCall++),
      info: () => {},
      warn: () => {},
      error: () => {},
    },
  })
  t.teardown(() => engine.close())
  const ids: string[] = []
  for (const d of adapterDirs) ids.push((await engine.loadAdapter(d)).id)
  // The call resolves through the same event loop as the wakeups; count the lines that arrive
  // while its worker still runs (steps still below the final count).
  const before = engine.stats().steps
  let early = 0
  const pending = engine.generate(workload(ids))
  const deadline = Date.now() + 60_000
  let done = false
  void pending.then(
    () => (done = true),
    () => (done = true),
  )
  while (!done && Date.now() < deadline) {
    const seen = duringCall
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (duringCall > seen && engine.stats().steps - before < steps) early++
  }
  await pending
  t.ok(early > 0, `log lines were pushed while the generate was still running (${early} wakeups)`)
})

t.test('a JS thread that falls behind loses the oldest lines, counted and announced', async (t) => {
  const steps = await workloadSteps()
  const state = { settled: false }
  const { lines, logger } = recorder(state)
  const engine = await engineWith(modelDir, { ...options, logQueueLines: 16, logger })
  t.teardown(() => engine.close())
  const ids: string[] = []
  for (const d of adapterDirs) ids.push((await engine.loadAdapter(d)).id)
  lines.length = 0
  const before = engine.stats().steps
  const pending = engine.generate(workload(ids))
  // Keep the JS thread busy (no event loop turn, so no delivery) until the call's steps are done.
  const deadline = Date.now() + 120_000
  while (engine.stats().steps - before < steps && Date.now() < deadline);
  t.ok(Date.now() < deadline, 'the generate finished its steps while the JS thread was busy')
  await pending
  const dropped = engine.stats().logLinesDropped
  t.equal(dropped, 60 - 16, '60 lines into a 16-line queue: 44 dropped and counted')
  t.equal(lines[0]?.level, 'warn', 'the first delivered line announces the loss')
  t.match(lines[0]?.msg ?? '', new RegExp(`^${dropped} native log lines were dropped`), 'with the count')
  t.equal(lines.length, 17, 'then the 16 newest lines')
  t.match(lines[16].msg, /^adapter reloaded from disk/, 'ending with the last line logged')
})
