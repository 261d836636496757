import { formatSyncStatus } from '../../format/formatRollupRefs.ts'
import type { RpcMethod } from '../../types.ts'
import { rollupNodeOf } from './rollupNodeOf.ts'

/**
 * optimism_syncStatus (op-node's node API): the L1 and L2 heads as op-node names them. No
 * batches are posted yet: unsafe, safe and finalized L2 are the node's head, safe and finalized
 * blocks (all the head on a lone sequencer); current_l1 is the head's L1 origin, head_l1 the L1
 * follower's confirmed head; an L1 block the node does not know is a zero ref. Rollup chains only.
 * Example: [] -> { "current_l1": { "hash": "0x…", "number": 14, "parentHash": "0x…", "timestamp": … },
 * "head_l1": …, "unsafe_l2": { "hash": "0x…", "number": 3, …, "l1origin": { … }, "sequenceNumber": 0 }, … }.
 */
export const syncStatus: RpcMethod<'rollup'> = {
  name: 'optimism_syncStatus',
  minParams: 0,
  maxParams: 0,
  async handler(ctx) {
    return formatSyncStatus(await rollupNodeOf(ctx, 'optimism_syncStatus').syncStatus())
  },
}
