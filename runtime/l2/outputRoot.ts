import { concatBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'

/** The L2 block commitments an output root covers (OP specs, proposals.md, version 0). */
export type OutputV0 = {
  /** the block's state root */
  stateRoot: Uint8Array
  /** storage root of the L2ToL1MessagePasser (0x4200…0016) in that state */
  messagePasserStorageRoot: Uint8Array
  blockHash: Uint8Array
}

const VERSION_0 = new Uint8Array(32)

/**
 * Output root v0 = keccak256(bytes32(0) ‖ stateRoot ‖ messagePasserStorageRoot ‖ blockHash): what
 * the proposer posts to L2OutputOracle and a withdrawal proof is checked against on L1.
 */
export function outputRootV0(output: OutputV0): Uint8Array {
  return keccak_256(concatBytes(VERSION_0, output.stateRoot, output.messagePasserStorageRoot, output.blockHash))
}
