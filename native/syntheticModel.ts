import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { LORA_TARGETS } from './engine.ts'
import type { LoraTarget } from './engine.ts'
import { roundToDtype, writeSafetensors } from './safetensorsWriter.ts'
import type { TensorEntry, WeightDtype } from './safetensorsWriter.ts'

/** Shape and storage of a seeded synthetic Llama model. */
export type SyntheticModelSpec = {
  vocabSize: number
  hiddenSize: number
  intermediateSize: number
  numLayers: number
  numHeads: number
  numKvHeads: number
  maxPositionEmbeddings: number
  ropeTheta: number
  rmsNormEps: number
  tieWordEmbeddings: boolean
  dtype: WeightDtype
  /** 1 = model.safetensors; > 1 = model-0000i-of-0000n.safetensors + index. */
  shards: number
  seed: number
}

/** A tiny default model (fast tests). */
export const defaultSyntheticModelSpec: Readonly<SyntheticModelSpec> = Object.freeze({
  vocabSize: 96,
  hiddenSize: 64,
  intermediateSize: 160,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 2,
  maxPositionEmbeddings: 256,
  ropeTheta: 10000,
  rmsNormEps: 1e-5,
  tieWordEmbeddings: false,
  dtype: 'f32',
  shards: 1,
  seed: 1,
})

/** A seeded PEFT LoRA adapter. */
export type SyntheticAdapterSpec = {
  rank: number
  alpha: number
  targets: readonly LoraTarget[]
  useRslora: boolean
  dtype: WeightDtype
  seed: number
  /** Scale of the random A and B entries. */
  initScale: number
  /** Extra or overriding adapter_config.json fields (e.g. use_dora: true to test rejection). */
  configOverrides?: Record<string, unknown>
  /** Extra tensors (e.g. a DoRA magnitude vector). */
  extraTensors?: { name: string; shape: number[] }[]
  /** Tensor names to leave out. */
  omitTensors?: string[]
  /** Override a tensor's shape by name. */
  shapeOverrides?: Record<string, number[]>
}

/** Defaults of SyntheticAdapterSpec. */
export const defaultSyntheticAdapterSpec: Readonly<SyntheticAdapterSpec> = Object.freeze({
  rank: 8,
  alpha: 16,
  targets: LORA_TARGETS,
  useRslora: false,
  dtype: 'f32',
  seed: 7,
  initScale: 0.05,
})

const MODULE_PARENT: Record<LoraTarget, string> = {
  q_proj: 'self_attn',
  k_proj: 'self_attn',
  v_proj: 'self_attn',
  o_proj: 'self_attn',
  gate_proj: 'mlp',
  up_proj: 'mlp',
  down_proj: 'mlp',
}

/** [out, in] of a projection. */
export function projectionShape(spec: SyntheticModelSpec, target: LoraTarget): [number, number] {
  const hd = spec.hiddenSize / spec.numHeads
  const q = spec.numHeads * hd
  const kv = spec.numKvHeads * hd
  switch (target) {
    case 'q_proj':
      return [q, spec.hiddenSize]
    case 'k_proj':
      return [kv, spec.hiddenSize]
    case 'v_proj':
      return [kv, spec.hiddenSize]
    case 'o_proj':
      return [spec.hiddenSize, q]
    case 'gate_proj':
      return [spec.intermediateSize, spec.hiddenSize]
    case 'up_proj':
      return [spec.intermediateSize, spec.hiddenSize]
    case 'down_proj':
      return [spec.hiddenSize, spec.intermediateSize]
  }
}

function hashName(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** Deterministic uniform values in [-scale, scale) (mulberry32 stream keyed by seed and name), rounded to dtype. */
export function seededTensor(seed: number, name: string, n: number, scale: number, offset: number, dtype: WeightDtype): Float32Array {
  let a = hashName(seed, name)
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296
    out[i] = offset + (u * 2 - 1) * scale
  }
  return roundToDtype(out, dtype)
}

/** Every tensor of the model, in file order, with lazily generated data. */
export function syntheticModelTensors(spec: SyntheticModelSpec): TensorEntry[] {
  const t: TensorEntry[] = []
  const add = (name: string, shape: number[], scale: number, offset = 0): void => {
    t.push({
      name,
      shape,
      dtype: spec.dtype,
      data: () =>
        seededTensor(
          spec.seed,
          name,
          shape.reduce((a, b) => a * b, 1),
          scale,
          offset,
          spec.dtype,
        ),
    })
  }
  add('model.embed_tokens.weight', [spec.vocabSize, spec.hiddenSize], 1)
  for (let l = 0; l < spec.numLayers; l++) {
    const p = `model.layers.${l}.`
    add(`${p}input_layernorm.weight`, [spec.hiddenSize], 0.1, 1)
    for (const m of LORA_TARGETS) {
      const [out, inp] = projectionShape(spec, m)
      add(`${p}${MODULE_PARENT[m]}.${m}.weight`, [out, inp], 1 / Math.sqrt(inp))
    }
    add(`${p}post_attention_layernorm.weight`, [spec.hiddenSize], 0.1, 1)
  }
  add('model.norm.weight', [spec.hiddenSize], 0.1, 1)
  if (!spec.tieWordEmbeddings) add('lm_head.weight', [spec.vocabSize, spec.hiddenSize], 1 / Math.sqrt(spec.hiddenSize))
  return t
}

/** config.json of the model. */
export function syntheticModelConfig(spec: SyntheticModelSpec): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_act: 'silu',
    vocab_size: spec.vocabSize,
    hidden_size: spec.hiddenSize,
    intermediate_size: spec.intermediateSize,
    num_hidden_layers: spec.numLayers,
    num_attention_heads: spec.numHeads,
    num_key_value_heads: spec.numKvHeads,
    max_position_embeddings: spec.maxPositionEmbeddings,
    rms_norm_eps: spec.rmsNormEps,
    rope_theta: spec.ropeTheta,
    rope_scaling: null,
    tie_word_embeddings: spec.tieWordEmbeddings,
    attention_bias: false,
    mlp_bias: false,
    torch_dtype: spec.dtype === 'f32' ? 'float32' : spec.dtype === 'bf16' ? 'bfloat16' : 'float16',
    bos_token_id: 1,
    eos_token_id: 2,
  }
}

/** Number of parameters of a spec. */
export function syntheticParameterCount(spec: SyntheticModelSpec): number {
  return syntheticModelTensors(spec).reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0)
}

/** Write config.json and the safetensors file(s) of a synthetic model into dir. */
export function writeSyntheticModel(dir: string, spec: SyntheticModelSpec): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'config.json'), JSON.stringify(syntheticModelConfig(spec), null, 2))
  const tensors = syntheticModelTensors(spec)
  if (spec.shards <= 1) {
    writeSafetensors(join(dir, 'model.safetensors'), tensors)
    return
  }
  const n = spec.shards
  const weightMap: Record<string, string> = {}
  const per = Math.ceil(tensors.length / n)
  for (let s = 0; s < n; s++) {
    const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`
    const part = tensors.slice(s * per, (s + 1) * per)
    for (const t of part) weightMap[t.name] = file
    writeSafetensors(join(dir, file), part)
  }
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }, null, 2))
}

/** PEFT key of a LoRA tensor. */
export function loraKey(layer: number, target: LoraTarget, which: 'A' | 'B'): string {
  return `base_model.model.model.layers.${layer}.${MODULE_PARENT[target]}.${target}.lora_${which}.weight`
}

/** Every tensor of an adapter, in file order. */
export function syntheticAdapterTensors(model: SyntheticModelSpec, spec: SyntheticAdapterSpec): TensorEntry[] {
  const out: TensorEntry[] = []
  const omit = new Set(spec.omitTensors ?? [])
  const add = (name: string, shape: number[]): void => {
    if (omit.has(name)) return
    const s = spec.shapeOverrides?.[name] ?? shape
    out.push({
      name,
      shape: s,
      dtype: spec.dtype,
      data: () =>
        seededTensor(
          spec.seed,
          name,
          s.reduce((a, b) => a * b, 1),
          spec.initScale,
          0,
          spec.dtype,
        ),
    })
  }
  for (let l = 0; l < model.numLayers; l++) {
    for (const m of LORA_TARGETS) {
      if (!spec.targets.includes(m)) continue
      const [o, i] = projectionShape(model, m)
      add(loraKey(l, m, 'A'), [spec.rank, i])
      add(loraKey(l, m, 'B'), [o, spec.rank])
    }
  }
  for (const e of spec.extraTensors ?? []) add(e.name, e.shape)
  return out
}

/** adapter_config.json of an adapter. */
export function syntheticAdapterConfig(spec: SyntheticAdapterSpec): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: 'synthetic-llama',
    r: spec.rank,
    lora_alpha: spec.alpha,
    lora_dropout: 0,
    target_modules: [...spec.targets],
    use_rslora: spec.useRslora,
    use_dora: false,
    bias: 'none',
    fan_in_fan_out: false,
    modules_to_save: null,
    init_lora_weights: true,
    inference_mode: true,
    ...spec.configOverrides,
  }
}

/** Write adapter_config.json and adapter_model.safetensors into dir. */
export function writeSyntheticAdapter(dir: string, model: SyntheticModelSpec, spec: SyntheticAdapterSpec): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify(syntheticAdapterConfig(spec), null, 2))
  writeSafetensors(join(dir, 'adapter_model.safetensors'), syntheticAdapterTensors(model, spec))
}
