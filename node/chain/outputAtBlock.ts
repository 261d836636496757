import type { Block } from '@ethereumjs/block'
import { KECCAK256_RLP, createAddressFromString, equalsBytes } from '@ethereumjs/util'
import { PREDEPLOYS, outputRootV0 } from '../../runtime/index.ts'
import type { Chain } from './types.ts'

/** A canonical L2 block's output root v0 with the commitments it hashes (OP specs proposals.md). */
export type BlockOutput = {
  block: Block
  /** keccak256(bytes32(0) ‖ stateRoot ‖ messagePasserStorageRoot ‖ blockHash) */
  outputRoot: Uint8Array
  stateRoot: Uint8Array
  /** storage root of the L2ToL1MessagePasser (0x4200…0016) in the block's state (eth_getProof's storageHash) */
  messagePasserStorageRoot: Uint8Array
  blockHash: Uint8Array
}

const MESSAGE_PASSER = createAddressFromString(PREDEPLOYS.L2ToL1MessagePasser)

/**
 * The output of canonical block `number` (what optimism_outputAtBlock answers and the proposer
 * posts), undefined past the head. The message passer's storage root is read from the block's
 * archive state; an absent account has the empty trie's root.
 *
 * @example
 * const output = await outputAtBlock(chain, 10n)
 * if (output !== undefined) log.debug({ root: bytesToHex(output.outputRoot) }, 'output')
 */
export async function outputAtBlock(chain: Chain, number: bigint): Promise<BlockOutput | undefined> {
  const block = await chain.getBlockByNumber(number)
  if (block === undefined) return undefined
  const stateRoot = block.header.stateRoot
  const state = await chain.stateAt(number)
  // a --dev evm_revert between the two reads may have replaced block `number`: read the state of the block held
  if (!equalsBytes(await state.getStateRoot(), stateRoot)) await state.setStateRoot(stateRoot)
  const messagePasserStorageRoot = (await state.getAccount(MESSAGE_PASSER))?.storageRoot ?? KECCAK256_RLP
  const blockHash = block.hash()
  return { block, outputRoot: outputRootV0({ stateRoot, messagePasserStorageRoot, blockHash }), stateRoot, messagePasserStorageRoot, blockHash }
}
