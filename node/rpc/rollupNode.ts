import type { Block } from '@ethereumjs/block'
import { bytesToHex, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { rollupConfigJson } from '../../genesis/index.ts'
import type { Hex, RollupConfigJson, RollupSpec } from '../../genesis/index.ts'
import { OpenLedgerError, blockL1Info } from '../../runtime/index.ts'
import type { RollupNode, RpcL1BlockRef, RpcL2BlockRef } from '../../rpc/index.ts'
import { CHAIN_ERROR, outputAtBlock } from '../chain/index.ts'
import type { Chain } from '../chain/index.ts'

/** What the optimism_* methods read of L1: node/l1's follower (createL1Follower) fits as it is. */
export type RollupL1View = {
  /** the latest L1 block the node takes as confirmed; undefined while L1 does not answer */
  confirmedHead(): Promise<bigint | undefined>
  /** the canonical L1 block `number` if confirmed (and L1 answers) */
  originAt(number: bigint): Promise<RpcL1BlockRef | undefined>
}

/** Options of {@link createRollupNode}. */
export type RollupNodeOptions = {
  chain: Chain
  rollup: RollupSpec
  /** undefined: the node follows no L1 (a validator), so every L1 ref is unknown (zero) */
  l1: RollupL1View | undefined
  /** the node's safe and finalized L2 blocks (the head on a lone sequencer: no batches are posted) */
  safeBlockNumber: () => bigint
  finalizedBlockNumber: () => bigint
  version: string
}

/**
 * The rollup side of the RPC backend (op-node's node API over the node's own chain): outputs from
 * node/chain outputAtBlock, L2 block refs read from each block's L1-info deposit (the rollup's
 * `genesis.l1` for the L2 genesis), L1 refs from the follower, the rollup.json from the spec and
 * the stored genesis hash.
 *
 * @example
 * const rollupNode = createRollupNode({ chain, rollup: spec.rollup, l1: follower, safeBlockNumber, finalizedBlockNumber, version: 'v0.1.0' })
 */
export function createRollupNode(options: RollupNodeOptions): RollupNode {
  const { chain, rollup, l1 } = options
  let config: Promise<RollupConfigJson> | undefined

  function blockRef(block: Block): RpcL2BlockRef {
    const { number, parentHash, timestamp } = block.header
    const base = { hash: block.hash(), number, parentHash, timestamp }
    if (number === 0n) return { ...base, l1origin: { hash: hexToBytes(rollup.l1Genesis.hash), number: rollup.l1Genesis.number }, sequenceNumber: 0n }
    const info = blockL1Info(block.transactions, { number: number.toString() })
    return { ...base, l1origin: { hash: info.hash, number: info.number }, sequenceNumber: info.sequenceNumber }
  }

  async function refAt(number: bigint, head: Block): Promise<RpcL2BlockRef> {
    // a marker at or past the head (the usual case: no batches) is the head itself
    const block = number >= head.header.number ? head : await chain.getBlockByNumber(number)
    return blockRef(block ?? head)
  }

  // the follower's block `id.number`, if it is the block `id` names (else unknown: a zero ref)
  async function l1Block(id: { number: bigint; hash: Uint8Array }): Promise<RpcL1BlockRef | undefined> {
    const block = await l1?.originAt(id.number)
    return block !== undefined && equalsBytes(block.hash, id.hash) ? block : undefined
  }

  async function l1Head(): Promise<RpcL1BlockRef | undefined> {
    const number = await l1?.confirmedHead()
    return number === undefined ? undefined : l1?.originAt(number)
  }

  return {
    version: options.version,
    rollupConfig() {
      config ??= chain.getBlockByNumber(0n).then((genesis) => {
        if (genesis === undefined) throw new OpenLedgerError(CHAIN_ERROR.UNKNOWN_BLOCK, 'the chain has no genesis block', { number: '0' })
        return rollupConfigJson({ ...chain.spec, rollup }, bytesToHex(genesis.hash()) as Hex)
      })
      return config
    },
    async outputAt(number) {
      const output = await outputAtBlock(chain, number)
      if (output === undefined) return undefined
      const { outputRoot, stateRoot, messagePasserStorageRoot } = output
      return { blockRef: blockRef(output.block), outputRoot, stateRoot, messagePasserStorageRoot }
    },
    async syncStatus() {
      const head = chain.head()
      const [unsafeL2, safeL2, finalizedL2] = await Promise.all([
        refAt(head.header.number, head),
        refAt(options.safeBlockNumber(), head),
        refAt(options.finalizedBlockNumber(), head),
      ])
      const [currentL1, headL1] = await Promise.all([l1Block(unsafeL2.l1origin), l1Head()])
      return { currentL1, headL1, safeL1: undefined, finalizedL1: undefined, unsafeL2, safeL2, finalizedL2 }
    },
  }
}
