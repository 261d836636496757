import type { Block } from '@ethereumjs/block'
import type { StateNodeDb } from '../vm/createStateManager.ts'
import type { ChainReader } from './chainReader.ts'

/**
 * What call simulation (runtime/call) needs from the chain: the head, headers of the blocks a call
 * names, BLOCKHASH lookups, and the trie node store to open any stored state root. node/chain
 * implements it over LevelDB.
 */
export interface CallChain {
  /** the latest committed block */
  head(): Block
  /** the canonical block at `number`, undefined if there is none */
  getBlockByNumber(number: bigint): Promise<Block | undefined>
  /** parent lookups and BLOCKHASH */
  reader(): ChainReader
  /**
   * A view of the state node store for simulations: it reads committed nodes and code, and keeps
   * its own writes in a private buffer that is never persisted.
   */
  stateNodes(): StateNodeDb
}
