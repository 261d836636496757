import type { BlockHeader } from '@ethereumjs/block'

/**
 * What the runtime needs to know about the chain it executes on: parent lookup for header
 * validation, canonical headers by number for the BLOCKHASH opcode. node/chain implements it over
 * LevelDB; tests may implement it over a Map.
 */
export interface ChainReader {
  /** header of a stored block by hash, undefined if unknown */
  getHeaderByHash(hash: Uint8Array): Promise<BlockHeader | undefined>
  /** header of the canonical block at `number`, undefined if there is none */
  getHeaderByNumber(number: bigint): Promise<BlockHeader | undefined>
}
