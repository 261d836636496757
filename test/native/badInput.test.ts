// Bad input never crashes the process: every case is a typed NativeError and the engine keeps
// working afterwards (model load failures leave it ready for a good model; generate failures run
// nothing and leak no KV blocks).
import { readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { NativeError, NativeErrorCode, createEngine, syntheticModelTensors, writeSafetensors } from '../../native/index.ts'
import type { Engine } from '../../native/index.ts'
import { engineWith, makeModel, tempDir, tinyModel } from './fixtures.ts'

const { dir, cleanup } = tempDir()
t.teardown(cleanup)
const goodModel = makeModel(dir, 'good')

async function expectCode(t: Test, fn: () => Promise<unknown> | unknown, code: string, label: string): Promise<void> {
  try {
    await fn()
    t.fail(`${label}: expected ${code}`)
  } catch (err) {
    t.ok(err instanceof NativeError, `${label}: NativeError`)
    t.equal((err as NativeError).code, code, `${label}: ${code}`)
  }
}

function rawSafetensors(path: string, header: object, dataBytes: number): void {
  let json = JSON.stringify(header)
  while ((8 + json.length) % 8) json += ' '
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(BigInt(json.length))
  writeFileSync(path, Buffer.concat([len, Buffer.from(json), Buffer.alloc(dataBytes)]))
}

t.test('bad model directories', async (t) => {
  const engine = await createEngine({ backend: 'cpu' })
  t.teardown(() => engine.close())
  const variant = (name: string, edit: (d: string) => void): string => {
    const d = makeModel(dir, name)
    edit(d)
    return d
  }
  const cases: [string, string, string][] = [
    ['missing directory', join(dir, 'nope'), NativeErrorCode.IO_ERROR],
    ['config not JSON', variant('cfg-json', (d) => writeFileSync(join(d, 'config.json'), '{"hidden_size": 64,')), NativeErrorCode.FORMAT_ERROR],
    [
      'rope_scaling',
      variant('cfg-rope', (d) => {
        const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'))
        writeFileSync(join(d, 'config.json'), JSON.stringify({ ...c, rope_scaling: { type: 'linear', factor: 2 } }))
      }),
      NativeErrorCode.UNSUPPORTED_MODEL,
    ],
    [
      'missing tensor',
      variant('missing', (d) =>
        writeSafetensors(
          join(d, 'model.safetensors'),
          syntheticModelTensors(tinyModel).filter((x) => x.name !== 'model.layers.1.mlp.up_proj.weight'),
        ),
      ),
      NativeErrorCode.MISSING_TENSOR,
    ],
    [
      'wrong shape',
      variant('shape', (d) => writeSafetensors(join(d, 'model.safetensors'), syntheticModelTensors({ ...tinyModel, intermediateSize: 128 }))),
      NativeErrorCode.SHAPE_MISMATCH,
    ],
    [
      'truncated file',
      variant('trunc', (d) => {
        const p = join(d, 'model.safetensors')
        truncateSync(p, readFileSync(p).length - 100)
      }),
      NativeErrorCode.TRUNCATED_FILE,
    ],
    [
      'header past end',
      variant('hdr', (d) => {
        const b = Buffer.alloc(16)
        b.writeBigUInt64LE(4096n)
        writeFileSync(join(d, 'model.safetensors'), b)
      }),
      NativeErrorCode.TRUNCATED_FILE,
    ],
    [
      'garbage header',
      variant('garbage', (d) => rawSafetensors(join(d, 'model.safetensors'), { x: { dtype: 'F32', shape: [2], data_offsets: [0, 12] } }, 16)),
      NativeErrorCode.FORMAT_ERROR,
    ],
    [
      'unknown dtype',
      variant('dtype', (d) =>
        rawSafetensors(join(d, 'model.safetensors'), { 'model.embed_tokens.weight': { dtype: 'F7', shape: [2], data_offsets: [0, 8] } }, 8),
      ),
      NativeErrorCode.UNSUPPORTED_DTYPE,
    ],
    [
      'integer weights',
      variant('int', (d) =>
        rawSafetensors(
          join(d, 'model.safetensors'),
          {
            'model.embed_tokens.weight': {
              dtype: 'I32',
              shape: [tinyModel.vocabSize, tinyModel.hiddenSize],
              data_offsets: [0, 4 * tinyModel.vocabSize * tinyModel.hiddenSize],
            },
          },
          4 * tinyModel.vocabSize * tinyModel.hiddenSize,
        ),
      ),
      NativeErrorCode.UNSUPPORTED_DTYPE,
    ],
    [
      'overlapping tensors',
      variant('overlap', (d) =>
        rawSafetensors(
          join(d, 'model.safetensors'),
          { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
          12,
        ),
      ),
      NativeErrorCode.FORMAT_ERROR,
    ],
  ]
  for (const [label, path, code] of cases) await expectCode(t, () => engine.loadModel(path), code, label)
  const info = await engine.loadModel(goodModel)
  t.equal(info.vocabSize, tinyModel.vocabSize, 'the same engine loads a good model afterwards')
  await expectCode(t, () => engine.loadModel(goodModel), NativeErrorCode.MODEL_ALREADY_LOADED, 'second model')
})

t.test('bad generate requests', async (t) => {
  const engine: Engine = await engineWith(goodModel, { kvBlocks: 8, kvBlockSize: 8, maxSeqLen: 100 })
  t.teardown(() => engine.close())
  const ok = { prompt: [1, 2, 3], maxTokens: 4 }
  const [want] = await engine.generate([ok])
  const cases: [string, object, string][] = [
    ['token = vocab', { prompt: [1, tinyModel.vocabSize], maxTokens: 2 }, NativeErrorCode.TOKEN_OUT_OF_RANGE],
    ['negative token', { prompt: [-1], maxTokens: 2 }, NativeErrorCode.TOKEN_OUT_OF_RANGE],
    ['token beyond int32', { prompt: [2 ** 40], maxTokens: 2 }, NativeErrorCode.TOKEN_OUT_OF_RANGE],
    ['fractional token', { prompt: [1.5], maxTokens: 2 }, NativeErrorCode.INVALID_ARGUMENT],
    ['stop token out of range', { prompt: [1], maxTokens: 2, stopTokens: [1000] }, NativeErrorCode.TOKEN_OUT_OF_RANGE],
    ['prompt too long', { prompt: Array(90).fill(1), maxTokens: 20 }, NativeErrorCode.PROMPT_TOO_LONG],
    ['out of KV memory', { prompt: Array(60).fill(1), maxTokens: 20 }, NativeErrorCode.KV_OUT_OF_MEMORY],
    ['empty prompt', { prompt: [], maxTokens: 2 }, NativeErrorCode.INVALID_ARGUMENT],
    ['zero max tokens', { prompt: [1], maxTokens: 0 }, NativeErrorCode.INVALID_ARGUMENT],
    ['top_p = 0', { prompt: [1], maxTokens: 2, temperature: 1, topP: 0 }, NativeErrorCode.INVALID_ARGUMENT],
    ['negative temperature', { prompt: [1], maxTokens: 2, temperature: -1 }, NativeErrorCode.INVALID_ARGUMENT],
    ['fractional seed', { prompt: [1], maxTokens: 2, seed: 1.5 }, NativeErrorCode.INVALID_ARGUMENT],
    ['negative request id', { prompt: [1], maxTokens: 2, requestId: -1n }, NativeErrorCode.INVALID_ARGUMENT],
    ['unknown adapter', { prompt: [1], maxTokens: 2, adapterId: 'f'.repeat(64) }, NativeErrorCode.ADAPTER_NOT_FOUND],
  ]
  for (const [label, req, code] of cases) {
    await expectCode(t, () => engine.generate([ok, req as typeof ok]), code, label)
    const s = engine.stats()
    t.equal(s.kvBlocksFree, s.kvBlocksTotal, `${label}: no KV blocks leaked`)
  }
  const [again] = await engine.generate([ok])
  t.same(again.completions[0].tokens, want.completions[0].tokens, 'engine still serves, same output')
  // many requests that each fit but not all at once: they queue for KV blocks
  const many = await engine.generate(Array.from({ length: 6 }, () => ({ prompt: Array(20).fill(3), maxTokens: 10 })))
  t.equal(many.length, 6, 'requests beyond KV capacity wait and complete')
})

t.test('bad options and calls without a model', async (t) => {
  await expectCode(t, () => createEngine({ threads: 0 }), NativeErrorCode.INVALID_ARGUMENT, 'threads 0')
  await expectCode(t, () => createEngine({ kvBlockSize: 1000 }), NativeErrorCode.INVALID_ARGUMENT, 'kvBlockSize 1000')
  const engine = await createEngine({ backend: 'cpu' })
  t.teardown(() => engine.close())
  await expectCode(t, () => engine.generate([{ prompt: [1], maxTokens: 1 }]), NativeErrorCode.NO_MODEL, 'generate without model')
  await expectCode(t, () => engine.loadAdapter(dir), NativeErrorCode.NO_MODEL, 'adapter without model')
  await expectCode(t, () => engine.modelInfo(), NativeErrorCode.NO_MODEL, 'modelInfo without model')
})
