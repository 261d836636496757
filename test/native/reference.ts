// A slow, obviously-correct float64 Llama reference for the native tests: explicit merged weights
// W + scale * B * A, naive causal attention with a full score matrix, Math.exp / Math.cos.
import { LORA_TARGETS, loraKey, syntheticAdapterTensors, syntheticModelTensors } from '../../native/index.ts'
import type { LoraTarget, SyntheticAdapterSpec, SyntheticModelSpec } from '../../native/index.ts'

type Mat = { rows: number; cols: number; data: Float64Array }

function tensors(list: { name: string; shape: number[]; data: () => Float32Array }[]): Map<string, Mat> {
  const m = new Map<string, Mat>()
  for (const t of list) {
    const rows = t.shape[0]
    const cols = t.shape.length > 1 ? t.shape[1] : 1
    m.set(t.name, { rows, cols, data: Float64Array.from(t.data()) })
  }
  return m
}

const PARENT: Record<LoraTarget, string> = {
  q_proj: 'self_attn',
  k_proj: 'self_attn',
  v_proj: 'self_attn',
  o_proj: 'self_attn',
  gate_proj: 'mlp',
  up_proj: 'mlp',
  down_proj: 'mlp',
}

/** Reference model; adapter (optional) is merged explicitly into float64 weights. */
export class ReferenceModel {
  private readonly w: Map<string, Mat>
  private readonly lora = new Map<string, { W: Mat; A: Mat; B: Mat; scale: number }>()
  /** Attribution of the last logits() call (native/ARITHMETIC.md section 10, in float64). */
  attribution = { deltaNorm: 0, baseNorm: 0, terms: 0 }

  constructor(
    private readonly spec: SyntheticModelSpec,
    adapter?: SyntheticAdapterSpec,
  ) {
    this.w = tensors(syntheticModelTensors(spec))
    if (!adapter) return
    const lora = tensors(syntheticAdapterTensors(spec, adapter))
    const scale = adapter.useRslora ? adapter.alpha / Math.sqrt(adapter.rank) : adapter.alpha / adapter.rank
    for (let l = 0; l < spec.numLayers; l++) {
      for (const m of LORA_TARGETS) {
        if (!adapter.targets.includes(m)) continue
        const A = lora.get(loraKey(l, m, 'A'))!
        const B = lora.get(loraKey(l, m, 'B'))!
        const W = this.w.get(`model.layers.${l}.${PARENT[m]}.${m}.weight`)!
        this.lora.set(`model.layers.${l}.${PARENT[m]}.${m}.weight`, { W: { ...W, data: W.data.slice() }, A, B, scale })
        for (let n = 0; n < W.rows; n++)
          for (let k = 0; k < W.cols; k++) {
            let s = 0
            for (let j = 0; j < adapter.rank; j++) s += B.data[n * adapter.rank + j] * A.data[j * W.cols + k]
            W.data[n * W.cols + k] += scale * s
          }
      }
    }
  }

  private mv(name: string, x: Float64Array): Float64Array {
    const parts = this.lora.get(name)
    if (parts) {
      // attribution: ||W x|| and ||scale * B (A x)|| from the unmerged parts
      const base = this.plain(parts.W, x)
      const ax = this.plain(parts.A, x)
      const delta = this.plain(parts.B, ax).map((v) => v * parts.scale)
      this.attribution.baseNorm += Math.hypot(...base)
      this.attribution.deltaNorm += Math.hypot(...delta)
      this.attribution.terms++
    }
    return this.plain(this.w.get(name)!, x)
  }

  private plain(W: Mat, x: Float64Array): Float64Array {
    const y = new Float64Array(W.rows)
    for (let n = 0; n < W.rows; n++) {
      let s = 0
      for (let k = 0; k < W.cols; k++) s += W.data[n * W.cols + k] * x[k]
      y[n] = s
    }
    return y
  }

  private rms(name: string, x: Float64Array): Float64Array {
    const w = this.w.get(name)!.data
    let ss = 0
    for (const v of x) ss += v * v
    const inv = 1 / Math.sqrt(ss / x.length + Math.fround(this.spec.rmsNormEps))
    return x.map((v, i) => v * inv * w[i])
  }

  private rope(x: Float64Array, heads: number, hd: number, pos: number): void {
    const half = hd / 2
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < half; i++) {
        const a = pos * this.spec.ropeTheta ** (-(2 * i) / hd)
        const c = Math.cos(a),
          s = Math.sin(a)
        const x0 = x[h * hd + i],
          x1 = x[h * hd + i + half]
        x[h * hd + i] = x0 * c - x1 * s
        x[h * hd + i + half] = x1 * c + x0 * s
      }
  }

  /** Logits after each position of tokens (teacher forcing). */
  logits(tokens: number[]): Float64Array[] {
    this.attribution = { deltaNorm: 0, baseNorm: 0, terms: 0 }
    const s = this.spec
    const hd = s.hiddenSize / s.numHeads
    const group = s.numHeads / s.numKvHeads
    const E = this.w.get('model.embed_tokens.weight')!
    const S = tokens.length
    let xs: Float64Array[] = tokens.map((t) => E.data.slice(t * s.hiddenSize, (t + 1) * s.hiddenSize))
    for (let l = 0; l < s.numLayers; l++) {
      const p = `model.layers.${l}.`
      const qs: Float64Array[] = [],
        ks: Float64Array[] = [],
        vs: Float64Array[] = []
      for (let i = 0; i < S; i++) {
        const h = this.rms(`${p}input_layernorm.weight`, xs[i])
        const q = this.mv(`${p}self_attn.q_proj.weight`, h)
        const k = this.mv(`${p}self_attn.k_proj.weight`, h)
        this.rope(q, s.numHeads, hd, i)
        this.rope(k, s.numKvHeads, hd, i)
        qs.push(q)
        ks.push(k)
        vs.push(this.mv(`${p}self_attn.v_proj.weight`, h))
      }
      const next: Float64Array[] = []
      for (let i = 0; i < S; i++) {
        const att = new Float64Array(s.numHeads * hd)
        for (let h = 0; h < s.numHeads; h++) {
          const g = Math.floor(h / group)
          const scores = new Float64Array(i + 1) // full score row
          for (let j = 0; j <= i; j++) {
            let d = 0
            for (let e = 0; e < hd; e++) d += qs[i][h * hd + e] * ks[j][g * hd + e]
            scores[j] = d / Math.sqrt(hd)
          }
          const m = Math.max(...scores)
          let z = 0
          const pr = scores.map((v) => {
            const e = Math.exp(v - m)
            z += e
            return e
          })
          for (let j = 0; j <= i; j++) for (let e = 0; e < hd; e++) att[h * hd + e] += (pr[j] / z) * vs[j][g * hd + e]
        }
        const o = this.mv(`${p}self_attn.o_proj.weight`, att)
        const x = xs[i].map((v, n) => v + o[n])
        const h2 = this.rms(`${p}post_attention_layernorm.weight`, x)
        const gt = this.mv(`${p}mlp.gate_proj.weight`, h2)
        const up = this.mv(`${p}mlp.up_proj.weight`, h2)
        const act = gt.map((v, n) => (v / (1 + Math.exp(-v))) * up[n])
        const down = this.mv(`${p}mlp.down_proj.weight`, act)
        next.push(x.map((v, n) => v + down[n]))
      }
      xs = next
    }
    const head = s.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight'
    return xs.map((x) => this.mv(head, this.rms('model.norm.weight', x)))
  }
}
