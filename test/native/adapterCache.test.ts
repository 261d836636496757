// The two-tier adapter cache (native/include/openledger-infer.h, oli_engine_options): a host tier
// of widened copies under adapterCacheBytes and a device tier of backend copies under
// adapterDeviceCacheBytes, both LRU over unpinned adapters, device a subset of host. On the CPU the
// tiers are shared; debugSeparateAdapterCopies gives the CPU separate device copies so the device
// tier is exercised here; the same scenario runs on a real GPU when one is present.
import { createHash } from 'node:crypto'
import { cpSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { NativeErrorCode, nativeInfo } from '../../native/index.ts'
import type { Engine, EngineOptions, EngineStats } from '../../native/index.ts'
import { engineWith, makeAdapter, makeModel, prompt, rejects, tempDir, tinyModel } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)
const modelDir = makeModel(dir, 'model')
const RANK = 4
/** f32 bytes of one all-linear adapter of rank r on the tiny model. */
const rankBytes = (r: number): number => {
  const hd = tinyModel.hiddenSize / tinyModel.numHeads
  const q = tinyModel.numHeads * hd,
    kv = tinyModel.numKvHeads * hd,
    h = tinyModel.hiddenSize,
    i = tinyModel.intermediateSize
  const io = [
    [q, h],
    [kv, h],
    [kv, h],
    [h, q],
    [i, h],
    [i, h],
    [h, i],
  ]
  return 4 * tinyModel.numLayers * io.reduce((a, [o, n]) => a + r * (o + n), 0)
}
const ONE = rankBytes(RANK)
const adapterDirs = Array.from({ length: 6 }, (_, i) => makeAdapter(dir, `a${i}`, { seed: 300 + i, rank: RANK }))
const fileBytes = (d: string): number => statSync(join(d, 'adapter_config.json')).size + statSync(join(d, 'adapter_model.safetensors')).size
const request = (id: string, i: number) => ({ prompt: prompt(50 + i, 7), adapterId: id, maxTokens: 3, logits: 'hash' as const })

/** Reference logits hashes per adapter from an engine that never evicts. */
async function reference(): Promise<Map<string, string>> {
  const engine = await engineWith(modelDir)
  try {
    const out = new Map<string, string>()
    for (const [i, d] of adapterDirs.entries()) {
      const { id } = await engine.loadAdapter(d)
      out.set(id, (await engine.generate([request(id, i)]))[0].completions[0].logitsHash!)
    }
    return out
  } finally {
    engine.close()
  }
}

const deviceResident = async (e: Engine, ids: string[]): Promise<number[]> => {
  const list = await e.listAdapters()
  return ids.map((id, i) => (list.find((a) => a.id === id)!.deviceResident ? i : -1)).filter((i) => i >= 0)
}
const hostResident = async (e: Engine, ids: string[]): Promise<number[]> => {
  const list = await e.listAdapters()
  return ids.map((id, i) => (list.find((a) => a.id === id)!.hostResident ? i : -1)).filter((i) => i >= 0)
}

t.test('shared tiers on the CPU: one copy, device budget ignored', async (t) => {
  const engine = await engineWith(modelDir, { adapterCacheBytes: 10 * ONE, adapterDeviceCacheBytes: 1 })
  t.teardown(() => engine.close())
  const ids: string[] = []
  for (const d of adapterDirs) ids.push((await engine.loadAdapter(d)).id)
  await engine.generate(ids.map(request))
  const s = engine.stats()
  t.equal(s.adapterTiersShared, true, 'tiers shared')
  t.equal(s.adaptersResident, 6, 'all six in the host tier')
  t.equal(s.adaptersDeviceResident, 0, 'no separate device copies')
  t.equal(s.adapterDeviceBytesResident, 0, 'no device bytes')
  t.equal(s.adapterHostHits, 6, 'every use a host hit')
  t.equal(s.adapterLoads, 6, 'one disk load each')
})

const deviceScenario = (label: string, options: Partial<EngineOptions>, skip: string | false) =>
  t.test(`device tier LRU (${label})`, { skip }, async (t) => {
    const ref = await reference()
    // Host tier fits all six; device tier fits two.
    const engine = await engineWith(modelDir, { ...options, adapterCacheBytes: 6 * ONE + 100, adapterDeviceCacheBytes: Math.floor(2.5 * ONE) })
    t.teardown(() => engine.close())
    const ids: string[] = []
    for (const d of adapterDirs) ids.push((await engine.loadAdapter(d)).id)
    let s: EngineStats = engine.stats()
    t.equal(s.adapterTiersShared, false, 'separate tiers')
    t.same([s.adaptersResident, s.adaptersDeviceResident, s.adapterLoads], [6, 0, 6], 'loaded into the host tier only')
    const use = async (i: number): Promise<void> => {
      const [r] = await engine.generate([request(ids[i], i)])
      t.equal(r.completions[0].logitsHash, ref.get(ids[i]), `adapter ${i}: same logits as without eviction`)
      const st = engine.stats()
      t.ok(st.adapterDeviceBytesResident <= Math.floor(2.5 * ONE), `adapter ${i}: device budget respected`)
      t.ok(st.adapterBytesResident <= 6 * ONE + 100, `adapter ${i}: host budget respected`)
    }
    await use(0)
    await use(1)
    t.same(await deviceResident(engine, ids), [0, 1], 'device holds 0 and 1')
    await use(0) // 0 becomes most recent
    await use(2) // evicts 1, the least recently used
    t.same(await deviceResident(engine, ids), [0, 2], 'LRU victim was 1')
    await use(3) // evicts 0
    t.same(await deviceResident(engine, ids), [2, 3], 'then 0')
    s = engine.stats()
    t.equal(s.adapterDeviceHits, 1, 'one device hit (the second use of 0)')
    t.equal(s.adapterHostHits, 4, 'four uploads from the host tier')
    t.equal(s.adapterDeviceEvictions, 2, 'two device evictions')
    t.equal(s.adapterEvictions, 0, 'no host eviction')
    await use(1) // host hit: uploaded again without touching the disk
    s = engine.stats()
    t.equal(s.adapterHostHits, 5, 'evicted device copy came back from the host tier')
    t.equal(s.adapterDiskReloads, 0, 'no disk reload')
    t.equal(s.adapterLoads, 6, 'disk loads unchanged')
    // A mixed batch over four adapters with room for two on the device: sequences wait for pins.
    const res = await engine.generate([0, 1, 2, 3, 4, 5].map((i) => request(ids[i], i)))
    t.same(
      res.map((r) => r.completions[0].logitsHash),
      ids.map((id) => ref.get(id)),
      'batch over six adapters, two device slots: same results',
    )
    s = engine.stats()
    t.equal(s.adapterPins, 0, 'no pins after the call')
    t.ok(s.adapterDeviceBytesResident <= Math.floor(2.5 * ONE), 'device budget respected after the batch')
    t.equal(s.adapterDiskReloads, 0, 'still no disk reload')
  })

deviceScenario('CPU with separate copies', { debugSeparateAdapterCopies: true }, false)
const info = nativeInfo()
deviceScenario(
  'CUDA',
  { backend: 'cuda' },
  !info.cudaCompiled ? 'addon built without the CUDA backend' : info.cudaDeviceCount === 0 ? 'no CUDA device present' : false,
)

t.test('host tier LRU: eviction drops to disk, reload re-reads once and verifies the hash', async (t) => {
  const ref = await reference()
  const engine = await engineWith(modelDir, {
    adapterCacheBytes: Math.floor(3.5 * ONE),
    debugSeparateAdapterCopies: true,
    adapterDeviceCacheBytes: Math.floor(1.5 * ONE),
  })
  t.teardown(() => engine.close())
  // Private copies of four adapters: this test rewrites one of them.
  const dirs = adapterDirs.slice(0, 4).map((d, i) => {
    const copy = join(dir, `host-lru-${i}`)
    cpSync(d, copy, { recursive: true })
    return copy
  })
  const ids: string[] = []
  for (const d of dirs.slice(0, 3)) ids.push((await engine.loadAdapter(d)).id)
  await engine.generate([request(ids[0], 0)]) // 0 most recent
  ids.push((await engine.loadAdapter(dirs[3])).id) // evicts 1
  t.same(await hostResident(engine, ids), [0, 2, 3], 'host LRU victim was 1 (0 was used more recently)')
  let s = engine.stats()
  t.equal(s.adapterEvictions, 1, 'one host eviction')
  t.equal(s.adapterDeviceEvictions, 0, 'the host victim had no device copy')
  const before = s.adapterDiskBytes
  const [r] = await engine.generate([request(ids[1], 1)])
  t.equal(r.completions[0].logitsHash, ref.get(ids[1]), 'reloaded adapter gives the same logits')
  s = engine.stats()
  t.equal(s.adapterDiskReloads, 1, 'one disk reload')
  t.equal(s.adapterDiskBytes - before, fileBytes(dirs[1]), 'the reload read each file exactly once')
  t.same(await hostResident(engine, ids), [0, 1, 3], 'reloading 1 evicted 2, the least recently used')
  // A host-resident adapter is served from memory even if its files change; once evicted, the
  // changed files are refused and the engine stays usable.
  const victim = 0
  rmSync(dirs[victim], { recursive: true, force: true })
  cpSync(makeAdapter(dir, 'other', { seed: 999, rank: RANK }), dirs[victim], { recursive: true })
  const [still] = await engine.generate([request(ids[victim], victim)])
  t.equal(still.completions[0].logitsHash, ref.get(ids[victim]), 'host copy still serves the registered identity')
  for (const i of [2, 3, 1, 2, 3]) {
    if (!(await hostResident(engine, ids)).includes(victim)) break
    await engine.generate([request(ids[i], i)]) // pushes the victim out of the host tier
  }
  t.notOk((await hostResident(engine, ids)).includes(victim), 'victim evicted from the host tier')
  await rejects(t, engine.generate([request(ids[victim], victim)]), NativeErrorCode.ADAPTER_CHANGED, 'changed files on reload')
  s = engine.stats()
  t.equal(s.kvBlocksFree, s.kvBlocksTotal, 'no KV blocks leaked by the refusal')
  t.equal(s.adapterPins, 0, 'no pins leaked by the refusal')
  const [ok] = await engine.generate([request(ids[1], 1)])
  t.equal(ok.completions[0].logitsHash, ref.get(ids[1]), 'engine still serves')
})

t.test('identity is computed over the bytes loaded, each file read once', async (t) => {
  const engine = await engineWith(modelDir)
  t.teardown(() => engine.close())
  const d = adapterDirs[5]
  const inner = (f: string): Buffer =>
    createHash('sha256')
      .update(readFileSync(join(d, f)))
      .digest()
  const want = createHash('sha256')
    .update(Buffer.concat([inner('adapter_config.json'), inner('adapter_model.safetensors')]))
    .digest('hex')
  const a = await engine.loadAdapter(d)
  t.equal(a.id, want, 'id = sha256(sha256(config) || sha256(weights)) by node:crypto')
  t.equal(engine.stats().adapterDiskBytes, fileBytes(d), 'registration read each file exactly once')
  t.equal(a.bytes, ONE, 'one f32 copy')
})

t.test('budgets: an adapter larger than a tier is refused', async (t) => {
  const engine = await engineWith(modelDir, { debugSeparateAdapterCopies: true, adapterDeviceCacheBytes: ONE - 1 })
  t.teardown(() => engine.close())
  await rejects(t, engine.loadAdapter(adapterDirs[0]), NativeErrorCode.ADAPTER_TOO_LARGE, 'larger than the device tier')
  const host = await engineWith(modelDir, { adapterCacheBytes: ONE - 1 })
  t.teardown(() => host.close())
  await rejects(t, host.loadAdapter(adapterDirs[0]), NativeErrorCode.ADAPTER_TOO_LARGE, 'larger than the host tier')
  t.equal((await host.listAdapters()).length, 0, 'nothing registered')
})
