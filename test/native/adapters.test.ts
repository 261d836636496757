// Adapter lifecycle: content-hash identity, LRU cache under a byte budget (evict, reload, verify
// hash), unload/list, and PEFT validation (unsupported variants rejected with typed errors).
import { createHash } from 'node:crypto'
import { cpSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { NativeErrorCode, loraKey } from '../../native/index.ts'
import type { Engine } from '../../native/index.ts'
import { engineWith, makeAdapter, makeModel, prompt, rejects, tempDir, tinyModel } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)
const modelDir = makeModel(dir, 'model')
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

t.test('identity is the sha256 of the files', async (t) => {
  const engine = await engineWith(modelDir)
  t.teardown(() => engine.close())
  const a = makeAdapter(dir, 'id-a', { seed: 1 })
  const copy = join(dir, 'id-a-copy')
  cpSync(a, copy, { recursive: true })
  const b = makeAdapter(dir, 'id-b', { seed: 2 })
  const ia = await engine.loadAdapter(a)
  const inner = (f: string): Buffer =>
    createHash('sha256')
      .update(readFileSync(join(a, f)))
      .digest()
  const want = createHash('sha256')
    .update(Buffer.concat([inner('adapter_config.json'), inner('adapter_model.safetensors')]))
    .digest('hex')
  t.equal(ia.id, want, 'id = sha256(sha256(config) || sha256(weights))')
  t.equal((await engine.loadAdapter(copy)).id, ia.id, 'same content elsewhere, same id')
  t.not((await engine.loadAdapter(b)).id, ia.id, 'different content, different id')
  t.equal((await engine.listAdapters()).length, 2, 'two registered adapters')
  t.same(ia.targets, ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'], 'targets reported')
  t.equal(ia.scale, 2, 'scale = alpha / r')
  const rs = await engine.loadAdapter(makeAdapter(dir, 'id-rs', { rank: 16, alpha: 8, useRslora: true }))
  t.equal(rs.scale, 2, 'rslora scale = alpha / sqrt(r)')
  await engine.unloadAdapter(ia.id)
  t.notOk(
    (await engine.listAdapters()).some((x) => x.id === ia.id),
    'unloaded adapter not listed',
  )
  await rejects(t, engine.generate([{ prompt: [1, 2], adapterId: ia.id, maxTokens: 2 }]), NativeErrorCode.ADAPTER_NOT_FOUND, 'generate with unloaded adapter')
})

t.test('LRU eviction under the byte budget, reload on use, identical results', async (t) => {
  const dirs = Array.from({ length: 12 }, (_, i) => makeAdapter(dir, `lru-${i}`, { seed: 100 + i, rank: 4 }))
  const reqs = (ids: string[]) => ids.map((id, i) => ({ prompt: prompt(i, 6 + i), adapterId: id, maxTokens: 5, logits: 'hash' as const }))
  const big = await engineWith(modelDir)
  const ref: string[] = []
  const bigIds: string[] = []
  try {
    for (const d of dirs) bigIds.push((await big.loadAdapter(d)).id)
    for (const r of await big.generate(reqs(bigIds))) ref.push(r.completions[0].logitsHash!)
  } finally {
    big.close()
  }
  const small: Engine = await engineWith(modelDir, { adapterCacheBytes: Math.floor(3.5 * rankBytes(4)) })
  t.teardown(() => small.close())
  const ids: string[] = []
  for (const d of dirs) ids.push((await small.loadAdapter(d)).id)
  t.same(ids, bigIds, 'same ids in both engines')
  let s = small.stats()
  t.equal(s.adaptersRegistered, 12, '12 registered')
  t.equal(s.adaptersResident, 3, 'only 3 fit the budget')
  t.equal(s.adapterEvictions, 9, '9 evicted')
  const list = await small.listAdapters()
  t.same(
    list
      .filter((a) => a.hostResident)
      .map((a) => a.id)
      .sort(),
    ids.slice(9).sort(),
    'the three most recently used stay resident',
  )
  const res = await small.generate(reqs(ids)) // 12 distinct adapters, 3 fit at a time
  t.same(
    res.map((r) => r.completions[0].logitsHash),
    ref,
    'results identical to an engine without eviction',
  )
  s = small.stats()
  t.ok(s.adapterLoads > 12, `adapters reloaded from disk (${s.adapterLoads} loads)`)
  t.ok(s.adapterBytesResident <= Math.floor(3.5 * rankBytes(4)), 'resident bytes within the budget')
  // an evicted adapter whose files changed is refused, and the engine stays usable
  const victim = (await small.listAdapters()).find((a) => !a.hostResident)!
  const other = makeAdapter(dir, 'changed-src', { seed: 999, rank: 4 })
  rmSync(victim.path, { recursive: true, force: true })
  cpSync(other, victim.path, { recursive: true })
  await rejects(t, small.generate([{ prompt: [1, 2, 3], adapterId: victim.id, maxTokens: 2 }]), NativeErrorCode.ADAPTER_CHANGED, 'changed files')
  const again = await small.generate(reqs(ids.filter((id) => id !== victim.id)).slice(0, 2))
  t.equal(again.length, 2, 'engine still serves after the failure')
  t.equal(small.stats().kvBlocksFree, small.stats().kvBlocksTotal, 'KV blocks all free after the failure')
})

t.test('adapter larger than the cache budget is refused', async (t) => {
  const engine = await engineWith(modelDir, { adapterCacheBytes: 1000 })
  t.teardown(() => engine.close())
  await rejects(t, engine.loadAdapter(makeAdapter(dir, 'too-big', { rank: 8 })), NativeErrorCode.ADAPTER_TOO_LARGE, 'too large')
  t.equal((await engine.listAdapters()).length, 0, 'nothing registered')
})

t.test('PEFT validation', async (t) => {
  const engine = await engineWith(modelDir, { maxLoraRank: 32 })
  t.teardown(() => engine.close())
  const cases: [string, Parameters<typeof makeAdapter>[2], string][] = [
    ['DoRA', { configOverrides: { use_dora: true } }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    [
      'DoRA magnitude tensor',
      { extraTensors: [{ name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector', shape: [64] }] },
      NativeErrorCode.UNSUPPORTED_ADAPTER,
    ],
    ['modules_to_save', { configOverrides: { modules_to_save: ['lm_head'] } }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['bias=all', { configOverrides: { bias: 'all' } }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['bias tensor', { extraTensors: [{ name: 'base_model.model.model.layers.0.self_attn.q_proj.bias', shape: [64] }] }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['rank_pattern', { configOverrides: { rank_pattern: { q_proj: 4 } } }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['layers_to_transform', { configOverrides: { layers_to_transform: [0] } }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['fan_in_fan_out', { configOverrides: { fan_in_fan_out: true } }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['peft_type IA3', { configOverrides: { peft_type: 'IA3' } }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['unknown target', { configOverrides: { target_modules: ['c_attn'] } }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['tensor outside targets', { configOverrides: { target_modules: ['q_proj'] }, targets: ['q_proj', 'v_proj'] }, NativeErrorCode.UNSUPPORTED_ADAPTER],
    ['rank above maximum', { rank: 48 }, NativeErrorCode.ADAPTER_RANK_TOO_LARGE],
    ['missing B', { omitTensors: [loraKey(1, 'up_proj', 'B')] }, NativeErrorCode.MISSING_TENSOR],
    ['wrong A shape', { shapeOverrides: { [loraKey(0, 'q_proj', 'A')]: [8, 63] } }, NativeErrorCode.SHAPE_MISMATCH],
    ['config r disagrees with tensors', { configOverrides: { r: 4 } }, NativeErrorCode.SHAPE_MISMATCH],
  ]
  for (const [label, spec, code] of cases) await rejects(t, engine.loadAdapter(makeAdapter(dir, `bad-${label.replace(/\W/g, '_')}`, spec)), code, label)
  t.equal((await engine.listAdapters()).length, 0, 'no rejected adapter registered')
  const regex = await engine.loadAdapter(
    makeAdapter(dir, 'regex', { targets: ['q_proj', 'v_proj'], configOverrides: { target_modules: '.*\\.(q_proj|v_proj)' } }),
  )
  t.same(regex.targets, ['q_proj', 'v_proj'], 'regex target_modules resolved')
  const all = await engine.loadAdapter(makeAdapter(dir, 'all-linear', { configOverrides: { target_modules: 'all-linear' } }))
  t.equal(all.targets.length, 7, 'all-linear')
  const [r] = await engine.generate([{ prompt: [3, 4, 5], adapterId: regex.id, maxTokens: 3 }])
  t.equal(r.completions[0].tokens.length, 3, 'engine usable after rejections')
})
