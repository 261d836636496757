// Shared helpers of the native tests: temp dirs with synthetic models/adapters, engine factory.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import {
  NativeError,
  createEngine,
  defaultSyntheticAdapterSpec,
  defaultSyntheticModelSpec,
  writeSyntheticAdapter,
  writeSyntheticModel,
} from '../../native/index.ts'
import type { Engine, EngineOptions, SyntheticAdapterSpec, SyntheticModelSpec } from '../../native/index.ts'

/** A temp dir removed by the returned cleanup. */
export function tempDir(prefix = 'oli-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The tiny test model (GQA: 4 heads over 2 KV heads). */
export const tinyModel: SyntheticModelSpec = { ...defaultSyntheticModelSpec }

/** Write a model into dir/name and return its path. */
export function makeModel(dir: string, name: string, spec: Partial<SyntheticModelSpec> = {}): string {
  const path = join(dir, name)
  writeSyntheticModel(path, { ...tinyModel, ...spec })
  return path
}

/** Write an adapter into dir/name and return its path. */
export function makeAdapter(dir: string, name: string, spec: Partial<SyntheticAdapterSpec> = {}, model: Partial<SyntheticModelSpec> = {}): string {
  const path = join(dir, name)
  writeSyntheticAdapter(path, { ...tinyModel, ...model }, { ...defaultSyntheticAdapterSpec, initScale: 0.2, ...spec })
  return path
}

/** An engine with the model loaded. */
export async function engineWith(modelDir: string, options: Partial<EngineOptions> = {}): Promise<Engine> {
  const engine = await createEngine({ backend: 'cpu', ...options })
  await engine.loadModel(modelDir)
  return engine
}

/** Fixed pseudo-random prompt. */
export function prompt(seed: number, length: number, vocab = tinyModel.vocabSize): number[] {
  const out: number[] = []
  let x = seed >>> 0
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    out.push(x % vocab)
  }
  return out
}

/** Assert that `p` rejects with a NativeError of `code` (two assertions, labelled). */
export async function rejects(t: Test, p: Promise<unknown>, code: string, label: string): Promise<void> {
  try {
    await p
    t.fail(`${label}: expected ${code}`)
  } catch (err) {
    t.ok(err instanceof NativeError, `${label}: NativeError`)
    t.equal((err as NativeError).code, code, `${label}: ${code}`)
  }
}
