import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { NativeError, NativeErrorCode } from './nativeError.ts'

/** Raw adapter info as the addon returns it. */
export type RawAdapterInfo = {
  id: string
  path: string
  rank: number
  targets: number
  useRslora: boolean
  hostResident: boolean
  deviceResident: boolean
  merged: boolean
  alpha: number
  scale: number
  bytes: number
  lastUsed: number
}

/** Raw completion as the addon returns it. */
export type RawCompletion = {
  tokens: Int32Array
  finishReason: number
  logits?: Float32Array
  logitsSha256: Uint8Array
  attrDeltaNorm: number
  attrBaseNorm: number
  attrTerms: number
}

/** The addon's engine class (src/addon.cpp). */
export type RawEngine = {
  loadModel(dir: string): Promise<void>
  modelInfo(): Record<string, number | string | boolean>
  loadAdapter(dir: string): Promise<RawAdapterInfo>
  unloadAdapter(id: string): Promise<void>
  listAdapters(): Promise<RawAdapterInfo[]>
  mergeAdapter(id: string): Promise<void>
  unmergeAdapter(): Promise<void>
  stats(): Record<string, number>
  drainLogs(): { level: number; message: string }[]
  setLogNotify(notify: () => void): void
  generate(requests: object[]): Promise<RawCompletion[][]>
  debugInjectFault(kind: number, step: number): void
  close(): void
}

/** The addon module. */
export type Addon = {
  NativeEngine: new (options: object) => RawEngine
  apiVersion: number
  cudaCompiled(): boolean
  cudaDeviceCount(): number
  defaultOptions(): Record<string, number>
  debugSamplerUniform(seed: bigint, requestId: bigint, sampleIndex: bigint, step: bigint): number
}

let cached: Addon | undefined

/** Load build/Release/openledger_infer.node (node-gyp output), once. */
export function loadAddon(): Addon {
  if (cached) return cached
  const require = createRequire(import.meta.url)
  const candidates = ['../build/Release/openledger_infer.node', '../build/Debug/openledger_infer.node'].map((p) => fileURLToPath(new URL(p, import.meta.url)))
  const found = candidates.find((p) => existsSync(p))
  if (!found) {
    throw new NativeError(NativeErrorCode.ADDON_NOT_BUILT, 'native addon not built: run `npm install` or `npx node-gyp rebuild`', {
      candidates,
    })
  }
  try {
    cached = require(found) as Addon
  } catch (err) {
    throw new NativeError(NativeErrorCode.ADDON_NOT_BUILT, 'native addon failed to load', { path: found }, { cause: err })
  }
  return cached
}
