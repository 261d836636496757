import { fileURLToPath } from 'node:url'
import type { ChainSpec } from './types.ts'
import { parseChainSpec } from './parseChainSpec.ts'
import { parseJson, parseJsonFile } from './readJsonFile.ts'

/** Names of the specs shipped in genesis/ (`--genesis devnet`). */
export const BUILTIN_CHAIN_SPECS = ['devnet', 'mainnet'] as const
/** A built-in spec name. */
export type BuiltinChainSpecName = (typeof BUILTIN_CHAIN_SPECS)[number]

/** True if `name` is a built-in spec name. */
export function isBuiltinChainSpecName(name: string): name is BuiltinChainSpecName {
  return (BUILTIN_CHAIN_SPECS as readonly string[]).includes(name)
}

/** Absolute path of a built-in spec's JSON file. */
export function builtinChainSpecPath(name: BuiltinChainSpecName): string {
  return fileURLToPath(new URL(`./${name}.json`, import.meta.url))
}

/**
 * Load and validate a chain spec from: a built-in name ("devnet", "mainnet"; write "./devnet" for
 * a file of that name), a file path, JSON text (starting with "{"), or an already-parsed object.
 * Our format and geth-style genesis files are both accepted (see parseChainSpec). Errors are
 * GenesisError; for files, `meta.file` names the file and the message starts with it.
 *
 * @example
 * const spec = loadChainSpec('devnet')            // built-in
 * const custom = loadChainSpec('./genesis.json')  // ours or geth-style
 */
export function loadChainSpec(source: string | Record<string, unknown>): ChainSpec {
  if (typeof source !== 'string') return parseChainSpec(source)
  if (source.trimStart().startsWith('{')) return parseChainSpec(parseJson(source, undefined))
  const file = isBuiltinChainSpecName(source) ? builtinChainSpecPath(source) : source
  return parseJsonFile(file, 'chain spec', parseChainSpec)
}
