import type { RpcMethod } from '../../types.ts'
import { rollupNodeOf } from './rollupNodeOf.ts'

/** optimism_version (op-node's node API): the node's version. Rollup chains only. Example: [] -> "v0.1.0". */
export const version: RpcMethod<'rollup'> = {
  name: 'optimism_version',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => rollupNodeOf(ctx, 'optimism_version').version,
}
