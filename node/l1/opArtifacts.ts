import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Abi, Hex } from 'viem'

/** What a deployment needs from one forge artifact. */
export type OpArtifact = {
  abi: Abi
  /** creation code (no library links in the contracts used here: shared/specs/op-bridge.md §7.1) */
  bytecode: Hex
  deployedBytecode: Hex
}

const cache = new Map<string, OpArtifact>()

/** Root of the installed @eth-optimism/contracts-bedrock (0.17.3: CGT v1, shared/specs/op-bridge.md §6.1). */
export function contractsBedrockDir(): string {
  const require = createRequire(import.meta.url)
  return dirname(require.resolve('@eth-optimism/contracts-bedrock/package.json'))
}

/**
 * The forge artifact `forge-artifacts/<file>.sol/<contract>.json` of the npm package, read at run
 * time (never copied into the tree) and kept once read.
 *
 * @example
 * const { abi, bytecode } = readOpArtifact('OptimismPortal')
 */
export function readOpArtifact(contract: string, file: string = contract): OpArtifact {
  const path = join(contractsBedrockDir(), 'forge-artifacts', `${file}.sol`, `${contract}.json`)
  let artifact = cache.get(path)
  if (artifact === undefined) {
    const json = JSON.parse(readFileSync(path, 'utf8')) as { abi: Abi; bytecode: { object: Hex }; deployedBytecode: { object: Hex } }
    artifact = { abi: json.abi, bytecode: json.bytecode.object, deployedBytecode: json.deployedBytecode.object }
    cache.set(path, artifact)
  }
  return artifact
}
