import type { RollupNode } from '../../ports/index.ts'
import type { RpcContextOf } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'

/** The node's rollup side, or -32601 for `method` on a chain without `rollup` (no op-node API there). */
export function rollupNodeOf(ctx: RpcContextOf<'rollup'>, method: string): RollupNode {
  const node = ctx.rollup.rollupNode
  if (node === undefined) throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, `${method} is only available on a rollup chain`)
  return node
}
