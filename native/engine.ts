import { Buffer } from 'node:buffer'
import { loadAddon } from './loadAddon.ts'
import type { RawAdapterInfo, RawEngine } from './loadAddon.ts'
import { NativeError, NativeErrorCode, toNativeError } from './nativeError.ts'

/** Which compute backend runs the model. */
export const Backend = { auto: 'auto', cpu: 'cpu', cuda: 'cuda' } as const
export type Backend = (typeof Backend)[keyof typeof Backend]

/** CPU kernel variant; every variant gives identical bits (native/ARITHMETIC.md). */
export const CpuKernels = { auto: 'auto', scalar: 'scalar', avx512: 'avx512', avx2: 'avx2' } as const
export type CpuKernels = (typeof CpuKernels)[keyof typeof CpuKernels]

/** LoRA target modules in canonical order (bit i of the native mask). */
export const LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const
export type LoraTarget = (typeof LORA_TARGETS)[number]

/** pino-compatible logger subset the engine forwards its native log lines to. */
export type NativeLogger = {
  debug(obj: object, msg: string): void
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** Options of createEngine. */
export type EngineOptions = {
  /** 'auto' picks CUDA when compiled in and a device exists, else CPU. */
  backend: Backend
  cpuKernels: CpuKernels
  /** CPU worker threads; results are bitwise identical for any count. */
  threads: number
  /** Tokens per KV block (vLLM default 16); results do not depend on it. */
  kvBlockSize: number
  /** Blocks in the KV pool (capacity = kvBlocks * kvBlockSize tokens). */
  kvBlocks: number
  /** Context length; 0 = the model's max_position_embeddings. */
  maxSeqLen: number
  /** Token budget of one forward step (decode tokens + prefill chunks). */
  maxBatchTokens: number
  /** Sequences decoded together. */
  maxRunning: number
  /** Largest prompt chunk of one sequence per step (chunked prefill). */
  prefillChunk: number
  /** Largest LoRA rank accepted. */
  maxLoraRank: number
  /**
   * Host tier budget of the adapter cache in bytes (widened f32 copies in host memory; least
   * recently used unpinned adapters are evicted to "registered, on disk" and re-read, with their
   * hash checked, on next use). See native/README.md "Adapter cache".
   */
  adapterCacheBytes: number
  /**
   * Device tier budget in bytes (backend copies the forward pass reads; a subset of the host tier;
   * evicting one keeps the host copy). Ignored on the CPU backend, which reads the host tier in place.
   */
  adapterDeviceCacheBytes: number
  /**
   * Test only: on the CPU backend keep separate device-tier copies as a GPU backend does, so the
   * device tier's budget and LRU can be exercised without a GPU (OLI_DEBUG_FLAG_SEPARATE_ADAPTER_COPIES).
   */
  debugSeparateAdapterCopies: boolean
  /** Test only: allow Engine.debugInjectFault (OLI_DEBUG_FLAG_FAULT_INJECTION). */
  debugFaultInjection: boolean
  /**
   * Native log lines kept between deliveries; when the JS thread falls this far behind, the oldest
   * are dropped, counted (stats().logLinesDropped) and announced by a warn line.
   */
  logQueueLines: number
  /**
   * Receives native log lines ({ module: 'native' } context), pushed as they occur through a
   * thread-safe function, in order, and always before the promise of the call that logged them
   * resolves.
   */
  logger?: NativeLogger
}

/** Defaults of EngineOptions. */
export const defaultEngineOptions: Readonly<EngineOptions> = Object.freeze({
  backend: Backend.auto,
  cpuKernels: CpuKernels.auto,
  threads: 1,
  kvBlockSize: 16,
  kvBlocks: 256,
  maxSeqLen: 0,
  maxBatchTokens: 256,
  maxRunning: 64,
  prefillChunk: 128,
  maxLoraRank: 64,
  adapterCacheBytes: 1024 * 1024 * 1024,
  adapterDeviceCacheBytes: 512 * 1024 * 1024,
  debugSeparateAdapterCopies: false,
  debugFaultInjection: false,
  logQueueLines: 4096,
})

/** Facts about the loaded model. */
export type ModelInfo = {
  vocabSize: number
  hiddenSize: number
  intermediateSize: number
  numLayers: number
  numHeads: number
  numKvHeads: number
  headDim: number
  maxPositionEmbeddings: number
  tiedEmbeddings: boolean
  sourceDtype: 'f32' | 'bf16' | 'f16'
  rmsNormEps: number
  ropeTheta: number
  numParameters: number
  /** Resident weight bytes read per decode step at batch 1 (BF16-resident matrices count 2 bytes per parameter). */
  weightBytes: number
  /** Bytes of the weight files read at load. */
  fileBytes: number
  /**
   * Content identity (hex sha256 over the per-file sha256 of config.json, the shard index when
   * sharded, and each weight file in name order; see native/include/openledger-infer.h).
   */
  id: string
  backend: 'cpu' | 'cuda'
  kernels: string
}

/** A registered adapter. `id` is its content hash (sha256 of its files). */
export type AdapterInfo = {
  id: string
  path: string
  rank: number
  targets: LoraTarget[]
  useRslora: boolean
  alpha: number
  scale: number
  /** A host-tier copy exists (else the adapter is registered, on disk). */
  hostResident: boolean
  /** A separate device-tier copy exists (always false on the CPU backend: shared tiers). */
  deviceResident: boolean
  merged: boolean
  /** Bytes of one copy (f32). */
  bytes: number
  lastUsed: number
}

/** What a request returns of its logits. */
export type LogitsMode = 'none' | 'hash' | 'full'

/** One generation request. */
export type GenerateRequest = {
  prompt: ArrayLike<number>
  /** Adapter id (from loadAdapter) or null / undefined for the base model. */
  adapterId?: string | null
  maxTokens: number
  /** 0 (default) = greedy. */
  temperature?: number
  /** 0 (default) = off. */
  topK?: number
  /** 1 (default) = off. */
  topP?: number
  seed?: bigint | number
  /** Part of the RNG key; give distinct requests distinct ids. */
  requestId?: bigint | number
  stopTokens?: ArrayLike<number>
  /** Completions sharing the prompt's KV blocks copy-on-write (default 1). */
  n?: number
  logits?: LogitsMode
}

/** Per-request adapter contribution (native/ARITHMETIC.md section 10). */
export type Attribution = {
  adapterId: string | null
  /** Sum over tokens, layers and target modules of ||LoRA delta||. */
  deltaNorm: number
  /** Same sum of ||base projection output||. */
  baseNorm: number
  /** deltaNorm / baseNorm (0 without an adapter). */
  ratio: number
  terms: number
}

/** One completion. */
export type Completion = {
  tokens: number[]
  finishReason: 'length' | 'stop'
  /** logits: 'full': one Float32Array of vocab floats per generated token. */
  logits?: Float32Array[]
  /** logits: 'hash' | 'full': sha256 (hex) over every generated step's logits bytes. */
  logitsHash?: string
  attribution: Attribution
}

/** Result of one request: request.n completions. */
export type GenerateResult = { completions: Completion[] }

/**
 * Engine counters (native/include/openledger-infer.h oli_engine_stats). The adapter names without
 * a tier (adaptersResident, adapterBytesResident, adapterEvictions, adapterLoads) are the host tier
 * and disk loads.
 */
export type EngineStats = {
  kvBlocksTotal: number
  kvBlocksFree: number
  /** Reserved by admitted sequences, not yet allocated (0 between calls). */
  kvBlocksReserved: number
  adaptersRegistered: number
  /** Adapters with a host-tier copy. */
  adaptersResident: number
  /** Adapters with a separate device-tier copy (0 with shared tiers). */
  adaptersDeviceResident: number
  /** True when the backend reads the host tier in place (CPU): no device tier. */
  adapterTiersShared: boolean
  /** Sequences currently pinning adapters (0 between calls). */
  adapterPins: number
  /** Bytes of host-tier copies. */
  adapterBytesResident: number
  /** Bytes of device-tier copies. */
  adapterDeviceBytesResident: number
  /** Uses served by an existing device copy. */
  adapterDeviceHits: number
  /** Uses served from the host tier without reading the disk. */
  adapterHostHits: number
  /** Host-tier evictions (the adapter drops to disk). */
  adapterEvictions: number
  /** Device copies dropped. */
  adapterDeviceEvictions: number
  /** Host copies filled from files (registrations and reloads). */
  adapterLoads: number
  /** Reloads of registered adapters after host eviction. */
  adapterDiskReloads: number
  /** Bytes read from adapter files. */
  adapterDiskBytes: number
  steps: number
  tokensProcessed: number
  kvCowCopies: number
  /** Native log lines lost to a full log queue. */
  logLinesDropped: number
}

/** The inference engine. */
export type Engine = {
  readonly options: Readonly<EngineOptions>
  /** Load a Llama HF directory (config.json + model.safetensors or sharded index). */
  loadModel(dir: string): Promise<ModelInfo>
  /** Facts of the loaded model (cached at load; never blocks). */
  modelInfo(): ModelInfo
  /** Register and load a PEFT LoRA adapter directory; returns its info (id = content hash). */
  loadAdapter(dir: string): Promise<AdapterInfo>
  /** Unregister an adapter and free its weights. */
  unloadAdapter(id: string): Promise<void>
  /** Registered adapters ordered by id. */
  listAdapters(): Promise<AdapterInfo[]>
  /** Merge mode: requests for this adapter use W + scale*B*A (serving option, not consensus). */
  mergeAdapter(id: string): Promise<void>
  unmergeAdapter(): Promise<void>
  /** Run requests to completion with continuous batching. Calls are serialised by the engine. */
  generate(requests: readonly GenerateRequest[]): Promise<GenerateResult[]>
  /** Counters as of the last step; never blocks on a running call (safe for metrics scrapes). */
  stats(): EngineStats
  /**
   * Test only (needs the debugFaultInjection option): make the next generate call fail in scheduler
   * step `step` (1-based) with a returned status ('status' -> NATIVE_ERROR_INTERNAL), a thrown
   * std::bad_alloc ('badAlloc' -> NATIVE_ERROR_OUT_OF_MEMORY) or a thrown std::runtime_error
   * ('exception' -> NATIVE_ERROR_INTERNAL), after the step's KV blocks and pins are taken.
   */
  debugInjectFault(kind: DebugFault, step: number): void
  /** Free native memory; the engine is unusable afterwards. */
  close(): void
}

/** Fault kinds of Engine.debugInjectFault (oli_debug_fault). */
export type DebugFault = 'none' | 'status' | 'badAlloc' | 'exception'
const DEBUG_FAULT: Record<DebugFault, number> = { none: 0, status: 1, badAlloc: 2, exception: 3 }

/** Addon build facts. */
export function nativeInfo(): { apiVersion: number; cudaCompiled: boolean; cudaDeviceCount: number } {
  const addon = loadAddon()
  return { apiVersion: addon.apiVersion, cudaCompiled: addon.cudaCompiled(), cudaDeviceCount: addon.cudaDeviceCount() }
}

/**
 * The C library's option defaults (oli_engine_options_set_defaults) under the TS names; equal to
 * defaultEngineOptions (test/native/options.test.ts keeps the two in step).
 */
export function nativeDefaultEngineOptions(): Omit<EngineOptions, 'logger'> {
  const d = loadAddon().defaultOptions()
  return {
    backend: BACKENDS[d.backend],
    cpuKernels: CPU_KERNELS[d.cpuKernels],
    threads: d.threads,
    kvBlockSize: d.kvBlockSize,
    kvBlocks: d.kvBlocks,
    maxSeqLen: d.maxSeqLen,
    maxBatchTokens: d.maxBatchTokens,
    maxRunning: d.maxRunning,
    prefillChunk: d.prefillChunk,
    maxLoraRank: d.maxLoraRank,
    adapterCacheBytes: d.adapterCacheBytes,
    adapterDeviceCacheBytes: d.adapterDeviceCacheBytes,
    debugSeparateAdapterCopies: (d.debugFlags & DEBUG_SEPARATE_ADAPTER_COPIES) !== 0,
    debugFaultInjection: (d.debugFlags & DEBUG_FAULT_INJECTION) !== 0,
    logQueueLines: d.logQueueLines,
  }
}

/**
 * Debug / test entry point: the sampling uniform u in [0, 1) that the engine's sampler uses for
 * (seed, requestId, sampleIndex, step) (native/ARITHMETIC.md section 13; oli_sampler_debug_uniform).
 *
 * @example
 * samplerUniform(42n, 7n, 0n, 3n) // u of the 4th generated token of completion 0
 */
export function samplerUniform(seed: bigint, requestId: bigint, sampleIndex: bigint, step: bigint): number {
  return loadAddon().debugSamplerUniform(seed, requestId, sampleIndex, step)
}

const LOGITS_MODE: Record<LogitsMode, number> = { none: 0, hash: 1, full: 2 }
/** oli_backend and oli_cpu_kernels values, by number. */
const BACKENDS: readonly Backend[] = ['auto', 'cpu', 'cuda']
const CPU_KERNELS: readonly CpuKernels[] = ['auto', 'scalar', 'avx512', 'avx2']
/** OLI_DEBUG_FLAG_* bits of the C header. */
const DEBUG_SEPARATE_ADAPTER_COPIES = 1
const DEBUG_FAULT_INJECTION = 2
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const

function invalid(message: string, meta: Record<string, unknown> = {}): NativeError {
  return new NativeError(NativeErrorCode.INVALID_ARGUMENT, message, meta)
}

function checkUint(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw invalid(`option ${name} must be an integer in [${min}, ${max}]`, { option: name })
}

function toInt32Array(name: string, values: ArrayLike<number>, index: number): Int32Array {
  if (values instanceof Int32Array) return values
  const out = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!Number.isInteger(v)) throw invalid(`request ${index}: ${name}[${i}] is not an integer`, { index })
    if (v < -2147483648 || v > 2147483647) {
      throw new NativeError(NativeErrorCode.TOKEN_OUT_OF_RANGE, `request ${index}: ${name}[${i}] = ${v} is out of range`, { index })
    }
    out[i] = v
  }
  return out
}

function toU64(name: string, v: bigint | number | undefined, index: number): bigint {
  if (v === undefined) return 0n
  if (typeof v === 'bigint' ? v < 0n || v >= 2n ** 64n : !Number.isSafeInteger(v) || v < 0) {
    throw invalid(`request ${index}: ${name} must be an integer in [0, 2^64)`, { index })
  }
  return BigInt(v)
}

function toAdapterInfo(raw: RawAdapterInfo): AdapterInfo {
  return {
    id: raw.id,
    path: raw.path,
    rank: raw.rank,
    targets: LORA_TARGETS.filter((_, i) => (raw.targets & (1 << i)) !== 0),
    useRslora: raw.useRslora,
    alpha: raw.alpha,
    scale: raw.scale,
    hostResident: raw.hostResident,
    deviceResident: raw.deviceResident,
    merged: raw.merged,
    bytes: raw.bytes,
    lastUsed: raw.lastUsed,
  }
}

/**
 * Create an inference engine.
 *
 * @example
 * const engine = await createEngine({ threads: 2 })
 * await engine.loadModel('/models/tiny')
 * const { id } = await engine.loadAdapter('/adapters/a')
 * const [r] = await engine.generate([{ prompt: [1, 2, 3], adapterId: id, maxTokens: 8 }])
 * console.log(r.completions[0].tokens)
 */
export async function createEngine(options: Partial<EngineOptions> = {}): Promise<Engine> {
  const opts: EngineOptions = { ...defaultEngineOptions, ...options }
  if (!Object.values(Backend).includes(opts.backend)) throw invalid('option backend must be auto, cpu or cuda', { option: 'backend' })
  if (!Object.values(CpuKernels).includes(opts.cpuKernels)) throw invalid('option cpuKernels must be auto, scalar, avx512 or avx2', { option: 'cpuKernels' })
  checkUint('threads', opts.threads, 1, 256)
  checkUint('kvBlockSize', opts.kvBlockSize, 1, 256)
  checkUint('kvBlocks', opts.kvBlocks, 1, 2 ** 24)
  checkUint('maxSeqLen', opts.maxSeqLen, 0, 2 ** 20)
  checkUint('maxBatchTokens', opts.maxBatchTokens, 1, 65536)
  checkUint('maxRunning', opts.maxRunning, 1, 4096)
  checkUint('prefillChunk', opts.prefillChunk, 1, 2 ** 20)
  checkUint('maxLoraRank', opts.maxLoraRank, 1, 4096)
  checkUint('adapterCacheBytes', opts.adapterCacheBytes, 1, Number.MAX_SAFE_INTEGER)
  checkUint('adapterDeviceCacheBytes', opts.adapterDeviceCacheBytes, 1, Number.MAX_SAFE_INTEGER)
  checkUint('logQueueLines', opts.logQueueLines, 16, 2 ** 20)
  if (typeof opts.debugFaultInjection !== 'boolean') throw invalid('option debugFaultInjection must be a boolean', { option: 'debugFaultInjection' })
  if (typeof opts.debugSeparateAdapterCopies !== 'boolean')
    throw invalid('option debugSeparateAdapterCopies must be a boolean', { option: 'debugSeparateAdapterCopies' })
  const addon = loadAddon()
  let raw: RawEngine
  try {
    raw = new addon.NativeEngine({
      backend: BACKENDS.indexOf(opts.backend),
      cpuKernels: CPU_KERNELS.indexOf(opts.cpuKernels),
      threads: opts.threads,
      kvBlockSize: opts.kvBlockSize,
      kvBlocks: opts.kvBlocks,
      maxSeqLen: opts.maxSeqLen,
      maxBatchTokens: opts.maxBatchTokens,
      maxRunning: opts.maxRunning,
      prefillChunk: opts.prefillChunk,
      maxLoraRank: opts.maxLoraRank,
      adapterCacheBytes: opts.adapterCacheBytes,
      adapterDeviceCacheBytes: opts.adapterDeviceCacheBytes,
      logQueueLines: opts.logQueueLines,
      debugFlags: (opts.debugSeparateAdapterCopies ? DEBUG_SEPARATE_ADAPTER_COPIES : 0) | (opts.debugFaultInjection ? DEBUG_FAULT_INJECTION : 0),
    })
  } catch (err) {
    throw toNativeError(err)
  }
  const logger = opts.logger
  let closed = false
  // Lines are pushed: the addon calls flushLogs on the JS thread soon after native code queues a
  // line (even while a call runs on the thread pool); every call also flushes before it settles.
  const flushLogs = (): void => {
    if (closed) return
    const lines = raw.drainLogs()
    if (!logger) return
    for (const line of lines) logger[LOG_LEVELS[line.level] ?? 'info']({ module: 'native' }, line.message)
  }
  // Synchronous calls (stats, model info) log nothing; they do not drain, so a metrics scrape
  // never runs logger code.
  const call = <T>(fn: () => T): T => {
    try {
      return fn()
    } catch (err) {
      throw toNativeError(err)
    }
  }
  const callAsync = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn()
    } catch (err) {
      throw toNativeError(err)
    } finally {
      flushLogs()
    }
  }
  try {
    raw.setLogNotify(flushLogs)
  } catch (err) {
    raw.close()
    throw toNativeError(err)
  }
  let info: ModelInfo | undefined
  const modelInfo = (): ModelInfo => {
    if (!info) throw new NativeError(NativeErrorCode.NO_MODEL, 'no model is loaded')
    return info
  }
  flushLogs()
  return {
    options: Object.freeze({ ...opts }),
    async loadModel(dir) {
      await callAsync(() => raw.loadModel(dir))
      const loaded = call(() => raw.modelInfo() as unknown as ModelInfo)
      info = loaded
      return loaded
    },
    modelInfo,
    loadAdapter: (dir) => callAsync(async () => toAdapterInfo(await raw.loadAdapter(dir))),
    unloadAdapter: (id) => callAsync(() => raw.unloadAdapter(id)),
    listAdapters: () => callAsync(async () => (await raw.listAdapters()).map(toAdapterInfo)),
    mergeAdapter: (id) => callAsync(() => raw.mergeAdapter(id)),
    unmergeAdapter: () => callAsync(() => raw.unmergeAdapter()),
    stats: () => call(() => raw.stats() as unknown as EngineStats),
    debugInjectFault: (kind, step) =>
      call(() => {
        if (!(kind in DEBUG_FAULT)) throw invalid('fault kind must be none, status, badAlloc or exception')
        raw.debugInjectFault(DEBUG_FAULT[kind], step)
      }),
    close: () =>
      call(() => {
        flushLogs()
        raw.close()
        closed = true
      }),
    async generate(requests) {
      const prepared = requests.map((r, i) => {
        if (r === null || typeof r !== 'object') throw invalid(`request ${i} must be an object`, { index: i })
        const mode = r.logits ?? 'none'
        if (!(mode in LOGITS_MODE)) throw invalid(`request ${i}: logits must be none, hash or full`, { index: i })
        return {
          prompt: toInt32Array('prompt', r.prompt, i),
          adapterId: r.adapterId ?? undefined,
          maxTokens: r.maxTokens,
          temperature: r.temperature ?? 0,
          topK: r.topK ?? 0,
          topP: r.topP ?? 1,
          seed: toU64('seed', r.seed, i),
          requestId: toU64('requestId', r.requestId, i),
          stopTokens: r.stopTokens === undefined ? undefined : toInt32Array('stopTokens', r.stopTokens, i),
          n: r.n ?? 1,
          logitsMode: LOGITS_MODE[mode],
        }
      })
      const raws = await callAsync(() => raw.generate(prepared))
      const vocab = info?.vocabSize ?? 0
      return raws.map((samples, i) => {
        const req = requests[i]
        const mode = req.logits ?? 'none'
        const adapterId = req.adapterId ?? null
        return {
          completions: samples.map((c) => {
            const completion: Completion = {
              tokens: Array.from(c.tokens),
              finishReason: c.finishReason === 1 ? 'stop' : 'length',
              attribution: {
                adapterId,
                deltaNorm: c.attrDeltaNorm,
                baseNorm: c.attrBaseNorm,
                ratio: c.attrBaseNorm > 0 ? c.attrDeltaNorm / c.attrBaseNorm : 0,
                terms: c.attrTerms,
              },
            }
            if (mode !== 'none') completion.logitsHash = Buffer.from(c.logitsSha256).toString('hex')
            if (mode === 'full' && c.logits && vocab > 0) {
              const steps: Float32Array[] = []
              for (let s = 0; s * vocab < c.logits.length; s++) steps.push(c.logits.subarray(s * vocab, (s + 1) * vocab))
              completion.logits = steps
            }
            return completion
          }),
        }
      })
    },
  }
}
