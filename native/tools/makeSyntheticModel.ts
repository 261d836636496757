/**
 * CLI: write a seeded synthetic Llama model and/or PEFT LoRA adapters (real weights cannot be
 * downloaded on our machines).
 *
 *   npx tsx native/tools/makeSyntheticModel.ts model <dir> [--preset tiny|100m] [--hidden N]
 *       [--intermediate N] [--layers N] [--heads N] [--kv-heads N] [--vocab N] [--max-pos N]
 *       [--dtype f32|bf16|f16] [--shards N] [--tied] [--seed N]
 *   npx tsx native/tools/makeSyntheticModel.ts adapter <dir> <modelDir> [--rank N] [--alpha N]
 *       [--targets q_proj,v_proj,...] [--rslora] [--dtype f32|bf16|f16] [--seed N] [--count N]
 *
 * The adapter command reads the shape from <modelDir>/config.json. With --count N it writes
 * <dir>/adapter-0000 ... (seeds seed .. seed+N-1).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  LORA_TARGETS,
  defaultSyntheticAdapterSpec,
  defaultSyntheticModelSpec,
  syntheticParameterCount,
  writeSyntheticAdapter,
  writeSyntheticModel,
} from '../index.ts'
import type { LoraTarget, SyntheticModelSpec, WeightDtype } from '../index.ts'

/** ~110M parameters: hidden 768, 12 layers, 12 heads (4 KV heads), MLP 2048, vocab 32000. */
const PRESET_100M: Partial<SyntheticModelSpec> = {
  vocabSize: 32000,
  hiddenSize: 768,
  intermediateSize: 2048,
  numLayers: 12,
  numHeads: 12,
  numKvHeads: 4,
  maxPositionEmbeddings: 2048,
}

function int(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n`)
    process.exit(2)
  }
  return n
}

function dtypeOf(v: string | undefined): WeightDtype {
  if (v === undefined) return 'f32'
  if (v !== 'f32' && v !== 'bf16' && v !== 'f16') {
    process.stderr.write('--dtype must be f32, bf16 or f16\n')
    process.exit(2)
  }
  return v
}

function specFromConfig(modelDir: string): SyntheticModelSpec {
  const c = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, number | boolean>
  return {
    ...defaultSyntheticModelSpec,
    vocabSize: Number(c.vocab_size),
    hiddenSize: Number(c.hidden_size),
    intermediateSize: Number(c.intermediate_size),
    numLayers: Number(c.num_hidden_layers),
    numHeads: Number(c.num_attention_heads),
    numKvHeads: Number(c.num_key_value_heads ?? c.num_attention_heads),
  }
}

const USAGE = `usage:
  makeSyntheticModel.ts model <dir> [--preset tiny|100m] [--hidden N] [--intermediate N] [--layers N]
      [--heads N] [--kv-heads N] [--vocab N] [--max-pos N] [--dtype f32|bf16|f16] [--shards N] [--tied] [--seed N]
  makeSyntheticModel.ts adapter <dir> <modelDir> [--rank N] [--alpha N] [--targets q_proj,v_proj,...]
      [--rslora] [--dtype f32|bf16|f16] [--seed N] [--count N]
`

function parse(): ReturnType<typeof parseOptions> {
  try {
    return parseOptions()
  } catch (err) {
    // parseArgs throws TypeErrors with a readable message (unknown option, missing value)
    process.stderr.write(`${(err as Error).message}\n${USAGE}`)
    process.exit(2)
  }
}

function parseOptions() {
  return parseArgs({
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      hidden: { type: 'string' },
      intermediate: { type: 'string' },
      layers: { type: 'string' },
      heads: { type: 'string' },
      'kv-heads': { type: 'string' },
      vocab: { type: 'string' },
      'max-pos': { type: 'string' },
      dtype: { type: 'string' },
      shards: { type: 'string' },
      tied: { type: 'boolean' },
      seed: { type: 'string' },
      rank: { type: 'string' },
      alpha: { type: 'string' },
      targets: { type: 'string' },
      rslora: { type: 'boolean' },
      count: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

function main(): void {
  const { positionals, values } = parse()
  if (values.help === true) {
    process.stdout.write(USAGE)
    return
  }
  const [cmd, dir, modelDir] = positionals
  if (cmd === 'model' && dir) {
    const base = { ...defaultSyntheticModelSpec, ...(values.preset === '100m' ? PRESET_100M : {}) }
    const spec: SyntheticModelSpec = {
      ...base,
      hiddenSize: int(values.hidden, 'hidden', base.hiddenSize),
      intermediateSize: int(values.intermediate, 'intermediate', base.intermediateSize),
      numLayers: int(values.layers, 'layers', base.numLayers),
      numHeads: int(values.heads, 'heads', base.numHeads),
      numKvHeads: int(values['kv-heads'], 'kv-heads', base.numKvHeads),
      vocabSize: int(values.vocab, 'vocab', base.vocabSize),
      maxPositionEmbeddings: int(values['max-pos'], 'max-pos', base.maxPositionEmbeddings),
      dtype: dtypeOf(values.dtype),
      shards: int(values.shards, 'shards', 1),
      tieWordEmbeddings: values.tied ?? false,
      seed: int(values.seed, 'seed', base.seed),
    }
    writeSyntheticModel(dir, spec)
    process.stdout.write(`${JSON.stringify({ dir, parameters: syntheticParameterCount(spec), ...spec })}\n`)
    return
  }
  if (cmd === 'adapter' && dir && modelDir) {
    const model = specFromConfig(modelDir)
    const targets = (values.targets?.split(',') ?? [...LORA_TARGETS]) as LoraTarget[]
    for (const tg of targets) {
      if (!LORA_TARGETS.includes(tg)) {
        process.stderr.write(`unknown target ${tg}\n`)
        process.exit(2)
      }
    }
    const count = int(values.count, 'count', 0)
    const seed = int(values.seed, 'seed', defaultSyntheticAdapterSpec.seed)
    const rank = int(values.rank, 'rank', defaultSyntheticAdapterSpec.rank)
    const spec = {
      ...defaultSyntheticAdapterSpec,
      rank,
      alpha: values.alpha === undefined ? 2 * rank : Number(values.alpha),
      targets,
      useRslora: values.rslora ?? false,
      dtype: dtypeOf(values.dtype),
    }
    if (count === 0) {
      writeSyntheticAdapter(dir, model, { ...spec, seed })
      process.stdout.write(`${JSON.stringify({ dir })}\n`)
      return
    }
    for (let i = 0; i < count; i++) writeSyntheticAdapter(join(dir, `adapter-${String(i).padStart(4, '0')}`), model, { ...spec, seed: seed + i })
    process.stdout.write(`${JSON.stringify({ dir, count })}\n`)
    return
  }
  process.stderr.write(USAGE)
  process.exit(2)
}

main()
