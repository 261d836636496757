import type { Abi, Hex } from 'viem'
import { contractArtifact } from '../../runtime/index.ts'

/** A contracts-bedrock forge artifact typed for viem. */
export type OpArtifact = { abi: Abi; bytecode: Hex; deployedBytecode: Hex }

/**
 * The forge artifact `forge-artifacts/<file>.sol/<contract>.json` of @eth-optimism/contracts-bedrock,
 * read from the installed package by the runtime's reader (never copied into the tree), with its
 * ABI typed for viem's contract calls.
 *
 * @example
 * const { abi, bytecode } = readOpArtifact('OptimismPortal')
 */
export function readOpArtifact(contract: string, file: string = contract): OpArtifact {
  const artifact = contractArtifact(contract, file)
  return { abi: artifact.abi as Abi, bytecode: artifact.bytecode, deployedBytecode: artifact.deployedBytecode }
}
