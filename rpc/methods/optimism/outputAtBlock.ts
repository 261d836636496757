import { RPC_ERROR, RpcError } from '../../errors.ts'
import { formatL2BlockRef, formatSyncStatus } from '../../format/formatRollupRefs.ts'
import { toHex } from '../../hex.ts'
import { parseUint64 } from '../../params/parse.ts'
import type { RpcMethod } from '../../types.ts'
import { rollupNodeOf } from './rollupNodeOf.ts'

const VERSION_0 = `0x${'00'.repeat(32)}`

/**
 * optimism_outputAtBlock (op-node's node API; op-proposer reads it): output root v0 of L2 block
 * `blockNumber` (a hex quantity, 64 bits) with its block ref, the L2ToL1MessagePasser storage root
 * (`withdrawalStorageRoot`), the state root and the sync status. A block past the head answers
 * -32000 in op-node's words. Rollup chains only (-32601 elsewhere).
 * Example: ["0x2"] -> { "version": "0x00…00", "outputRoot": "0x…", "blockRef": { "hash": "0x…",
 * "number": 2, "parentHash": "0x…", "timestamp": 1700000202, "l1origin": { "hash": "0x…", "number": 13 },
 * "sequenceNumber": 1 }, "withdrawalStorageRoot": "0x…", "stateRoot": "0x…", "syncStatus": { … } }.
 */
export const outputAtBlock: RpcMethod<'rollup'> = {
  name: 'optimism_outputAtBlock',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const node = rollupNodeOf(ctx, 'optimism_outputAtBlock')
    const number = parseUint64(params[0], 0)
    const [output, status] = await Promise.all([node.outputAt(number), node.syncStatus()])
    if (output === undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_INPUT,
        `failed to get L2 block ref with sync status: failed to determine L2BlockRef of height ${number}, could not get payload: not found`,
      )
    }
    return {
      version: VERSION_0,
      outputRoot: toHex(output.outputRoot),
      blockRef: formatL2BlockRef(output.blockRef),
      withdrawalStorageRoot: toHex(output.messagePasserStorageRoot),
      stateRoot: toHex(output.stateRoot),
      syncStatus: formatSyncStatus(status),
    }
  },
}
