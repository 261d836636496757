import type { Block, BlockHeader } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { ChainSpec } from '../../genesis/index.ts'
import type {
  BlockParams,
  BuildResult,
  CallChain,
  ChainReader,
  DepositTx,
  ExecutedBlock,
  LocatedLog,
  LogFilter,
  StateNodeDb,
  TxReceipt,
} from '../../runtime/index.ts'

export type { LocatedLog, LogFilter } from '../../runtime/index.ts'

/** Where a mined tx lives. */
export type TxLocation = { blockHash: Uint8Array; blockNumber: bigint; index: number }

/**
 * A balance a --dev block sets before its txs (anvil_setBalance): OPEN created or destroyed
 * outside any tx, so such a block does not re-execute from its txs alone (dev only).
 */
export type DevBalance = { readonly address: Uint8Array; readonly balance: bigint }

/** Options of Chain.buildBlock. */
export type BuildBlockOptions = {
  /** block timestamp, seconds */
  timestamp: bigint
  /** --dev balances set on the parent state first (anvil_setBalance) */
  devBalances?: readonly DevBalance[]
  /** a rollup chain's deposits, the L1-info deposit first: all included, before the txs */
  deposits?: readonly DepositTx[]
}

/** Options of Chain.importBlock. */
export type ImportBlockOptions = {
  /**
   * The sequencer's seal of the block (node/sync blockSeal: 65 bytes), stored under the block's
   * hash in the same atomic batch as the block. The chain stores it as given: checking it is the
   * caller's (node/sync's import pipeline). For a block already stored without a seal it is added.
   */
  seal?: Uint8Array
}

/** Events a Chain emits. */
export type ChainEvents = {
  /** a block (built or imported) was committed and is the new head */
  head: (executed: ExecutedBlock) => void
  /** the head went back to an earlier canonical block (--dev evm_revert); the blocks above it are gone */
  rewind: (head: Block) => void
}

/**
 * The node's chain: LevelDB-backed blocks, receipts, indexes and archive state. The sequencer
 * builds on it, validators import into it, the txpool and RPC read from it.
 * Every committed block (state, block, receipts, indexes, head pointer) is one atomic batch.
 */
export interface Chain extends CallChain {
  readonly spec: ChainSpec
  readonly common: Common
  /** the latest committed block */
  head(): Block
  /**
   * The chain parameters of the block after head (gas limit, base-fee rules, fee recipients and
   * split): governed on chains with runtime modules, changed by passed proposals.
   */
  nextBlockParams(): BlockParams
  getBlockByNumber(number: bigint): Promise<Block | undefined>
  getBlockByHash(hash: Uint8Array): Promise<Block | undefined>
  /**
   * Canonical block `number` as stored (its RLP, block.serialize()) with its hash, without decoding
   * it: export and the blocks_by_range server pass the bytes on. Undefined past the head.
   */
  getBlockRlp(number: bigint): Promise<{ hash: Uint8Array; rlp: Uint8Array } | undefined>
  /** a stored block's header, undefined if unknown (cached; cheaper than the block) */
  getHeaderByHash(hash: Uint8Array): Promise<BlockHeader | undefined>
  getReceipts(blockHash: Uint8Array): Promise<TxReceipt[] | undefined>
  getTxLocation(txHash: Uint8Array): Promise<TxLocation | undefined>
  /** logs of canonical blocks in the filter's range (clamped to the head) that match it, in block and log order */
  getLogs(filter: LogFilter): Promise<LocatedLog[]>
  /**
   * A read-only state view at the given block's post-state (archive). The returned state manager
   * is a private copy: callers may run calls on it (eth_call) without affecting the chain.
   */
  stateAt(blockNumber: bigint): Promise<MerkleStateManager>
  /** parent lookups and BLOCKHASH over the stored headers (the runtime's ChainReader port) */
  reader(): ChainReader
  /** a private-write view of the state node store (see {@link CallChain.stateNodes}) */
  stateNodes(): StateNodeDb
  /**
   * Build the next block on head from candidate txs (already decoded, senders cached), in order,
   * skipping those that fail; execute, commit atomically, emit `head`. `timestamp` in seconds.
   * With a `sealer` (createChain option) the block's seal is in the same batch.
   * `devBalances` (--dev only) are set on the parent state before the txs run; the block is
   * marked with {@link DEV_BALANCES_EXTRA_DATA} in its extraData.
   */
  buildBlock(txs: Iterable<TypedTransaction>, opts: BuildBlockOptions): Promise<BuildResult>
  /**
   * --dev (evm_revert): make the canonical block `hash` the head again. The blocks above it, with
   * their receipts, tx and log index entries, are deleted and the head pointer moved in one atomic
   * batch (a crash leaves the old head or the new one); their state nodes stay (content-addressed,
   * possibly shared). Emits `rewind`. Throws CHAIN_ERROR_UNKNOWN_BLOCK for a non-canonical hash.
   */
  rewindTo(hash: Uint8Array): Promise<Block>
  /**
   * Validator path: re-execute a block received from the network (or RLP) through the runtime's
   * executeBlock (header, tx trie, signatures, state root, receipts root), commit it with its
   * `seal` (if given) in one atomic batch. Must extend the head (CHAIN_ERROR_NOT_HEAD_CHILD);
   * a known block returns as stored.
   */
  importBlock(block: Block, opts?: ImportBlockOptions): Promise<ExecutedBlock>
  /**
   * The sequencer's seal of a stored block: written by buildBlock when the chain has a `sealer`,
   * or given to importBlock. Undefined for genesis, unknown blocks and blocks stored unsealed.
   */
  getSeal(hash: Uint8Array): Promise<Uint8Array | undefined>
  /**
   * Decode a block from its RLP (block.serialize(), the stored form) with this chain's block
   * options (common, chain parameters; deposit txs included). Throws the decoder's error on a
   * malformed block (wrap it at the edge).
   */
  decodeBlock(raw: Uint8Array): Block
  on<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): void
  off<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): void
  close(): Promise<void>
}
