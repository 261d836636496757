import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Hex } from '../../../genesis/index.ts'
import { OpenLedgerError } from '../../errors.ts'
import { L2_ERROR } from '../l2Errors.ts'

/** The parts of a contracts-bedrock forge artifact the genesis builder uses. */
export type ContractArtifact = {
  /** the JSON ABI as forge wrote it */
  abi: readonly unknown[]
  /** creation code (constructor arguments are appended ABI-encoded) */
  bytecode: Hex
  /** runtime code as compiled (immutables still zero) */
  deployedBytecode: Hex
  /** "initialize(address)" -> 4-byte selector (0x-hex) */
  selectors: Record<string, Hex>
}

// the npm package the OP contracts come from: @eth-optimism/contracts-bedrock 0.17.3, the last
// release with the CGT-v1 contracts (shared/specs/op-bridge.md §6.1, §7.1)
const PACKAGE = '@eth-optimism/contracts-bedrock'

let packageRoot: string | undefined
function root(): string {
  packageRoot ??= dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`))
  return packageRoot
}

function readPackageFile(...path: string[]): string {
  try {
    return readFileSync(join(root(), ...path), 'utf8')
  } catch (err) {
    const file = path.join('/')
    throw new OpenLedgerError(L2_ERROR.PREDEPLOY_BUILD_FAILED, `${PACKAGE}: cannot read ${file} (is the package installed?)`, { file }, { cause: err })
  }
}

const artifacts = new Map<string, ContractArtifact>()

/**
 * The forge artifact `forge-artifacts/<Contract>.sol/<Contract>.json` of contracts-bedrock, read
 * (or `forge-artifacts/<file>.sol/<Contract>.json` for a contract declared in another file) from the
 * installed package, once per process. Bytecode is never copied into this tree: the package is the
 * one source of the OP contracts' code (the L2 genesis here, the L1 deployment in node/l1).
 */
export function contractArtifact(contract: string, file: string = contract): ContractArtifact {
  const key = `${file}/${contract}`
  const known = artifacts.get(key)
  if (known !== undefined) return known
  const json = JSON.parse(readPackageFile('forge-artifacts', `${file}.sol`, `${contract}.json`)) as {
    abi: unknown[]
    bytecode: { object: string }
    deployedBytecode: { object: string }
    methodIdentifiers: Record<string, string>
  }
  const selectors: Record<string, Hex> = {}
  for (const [signature, id] of Object.entries(json.methodIdentifiers)) selectors[signature] = `0x${id}`
  const artifact: ContractArtifact = { abi: json.abi, bytecode: json.bytecode.object as Hex, deployedBytecode: json.deployedBytecode.object as Hex, selectors }
  artifacts.set(key, artifact)
  return artifact
}

/** The 4-byte selector of `signature` in `contract`'s artifact; an unknown one is a programming error. */
export function selectorOf(contract: string, signature: string): Hex {
  const selector = contractArtifact(contract).selectors[signature]
  if (selector === undefined) {
    throw new OpenLedgerError(L2_ERROR.PREDEPLOY_BUILD_FAILED, `${PACKAGE}: ${contract} has no function ${signature}`, { contract, signature })
  }
  return selector
}

let multicall3: Hex | undefined

/**
 * Multicall3's runtime code, read from contracts-bedrock's src/libraries/Preinstalls.sol (its
 * `MultiCall3Code` hex literal), the code OP chains preinstall at 0xcA11…CA11. node/l1 installs
 * the same code on a dev L1.
 */
export function multicall3Code(): Hex {
  if (multicall3 !== undefined) return multicall3
  const source = readPackageFile('src', 'libraries', 'Preinstalls.sol')
  const match = /bytes\s+internal\s+constant\s+MultiCall3Code\s*=\s*hex"([0-9a-fA-F]+)"/.exec(source)
  if (match === null || match[1]!.length % 2 !== 0) {
    throw new OpenLedgerError(L2_ERROR.PREDEPLOY_BUILD_FAILED, `${PACKAGE}: no MultiCall3Code hex constant in src/libraries/Preinstalls.sol`, {})
  }
  multicall3 = `0x${match[1]!.toLowerCase()}`
  return multicall3
}
