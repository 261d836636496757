import type { RollupConfigJson } from '../../genesis/index.ts'

/** An L1 block as op-node names it (op-service eth.L1BlockRef). */
export type RpcL1BlockRef = { hash: Uint8Array; number: bigint; parentHash: Uint8Array; timestamp: bigint }

/**
 * An L2 block as op-node names it (op-service eth.L2BlockRef): its L1 origin and its place in
 * that origin's epoch, both read from the block's L1-info deposit (the rollup's `genesis.l1` and 0
 * for the L2 genesis).
 */
export type RpcL2BlockRef = {
  hash: Uint8Array
  number: bigint
  parentHash: Uint8Array
  timestamp: bigint
  l1origin: { hash: Uint8Array; number: bigint }
  sequenceNumber: bigint
}

/** Output root v0 of an L2 block with the commitments it hashes (OP specs proposals.md). */
export type RpcOutput = {
  blockRef: RpcL2BlockRef
  outputRoot: Uint8Array
  stateRoot: Uint8Array
  /** storage root of the L2ToL1MessagePasser (0x4200…0016) at the block */
  messagePasserStorageRoot: Uint8Array
}

/**
 * The rollup node's view (op-node's SyncStatus). No batches are posted on this chain yet, so the
 * L2 heads are the node's own markers (its head, safe and finalized blocks). An L1 ref the node
 * does not know is undefined (op-node answers a zero ref).
 */
export type RpcRollupSyncStatus = {
  /** the L1 origin of the L2 head: the L1 block the chain has taken in up to */
  currentL1: RpcL1BlockRef | undefined
  /** the latest L1 block the node follows (its follower's confirmed head) */
  headL1: RpcL1BlockRef | undefined
  safeL1: RpcL1BlockRef | undefined
  finalizedL1: RpcL1BlockRef | undefined
  unsafeL2: RpcL2BlockRef
  safeL2: RpcL2BlockRef
  finalizedL2: RpcL2BlockRef
}

/** What the optimism_* methods read on a rollup chain (op-node's node API). */
export interface RollupNode {
  /** op-node's rollup.json of this chain, with the L2 genesis hash (optimism_rollupConfig) */
  rollupConfig(): Promise<RollupConfigJson>
  /** output v0 of the canonical block `number`; undefined past the head */
  outputAt(number: bigint): Promise<RpcOutput | undefined>
  syncStatus(): Promise<RpcRollupSyncStatus>
  /** the node's version as optimism_version answers it ("v0.1.0") */
  readonly version: string
}

/** Port: the rollup side of the node (optimism_*). */
export interface RollupInfo {
  /** undefined on a chain without `rollup` (the optimism_* methods answer -32601) */
  readonly rollupNode: RollupNode | undefined
}
