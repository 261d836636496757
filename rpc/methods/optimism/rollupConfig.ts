import type { RpcMethod } from '../../types.ts'
import { rollupNodeOf } from './rollupNodeOf.ts'

/**
 * optimism_rollupConfig (op-node's node API): the chain's op-node rollup.json (genesis/
 * rollupConfigJson, our CGT extensions included) with the L2 genesis hash. Rollup chains only.
 * Example: [] -> { "genesis": { "l1": { "hash": "0x…", "number": 12 }, "l2": { "hash": "0x…",
 * "number": 0 }, … }, "block_time": 1, "l2_chain_id": 1337, … }.
 */
export const rollupConfig: RpcMethod<'rollup'> = {
  name: 'optimism_rollupConfig',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => rollupNodeOf(ctx, 'optimism_rollupConfig').rollupConfig(),
}
