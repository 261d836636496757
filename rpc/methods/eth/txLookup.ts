import type { RpcContextOf } from '../../types.ts'
import { formatStoredTx } from '../../format/formatBlock.ts'
import { formatTx } from '../../format/formatTx.ts'

/** Find a tx by hash: mined (with its position) or pooled; null when unknown. Shared by tx getters. */
export async function lookupTx(ctx: RpcContextOf<'blocks' | 'pool'>, hash: Uint8Array): Promise<Record<string, unknown> | null> {
  const loc = await ctx.blocks.getTxLocation(hash)
  if (loc !== undefined) {
    const block = await ctx.blocks.getBlockByHash(loc.blockHash)
    const tx = block?.transactions[loc.index]
    if (block !== undefined && tx !== undefined) return formatStoredTx(block, loc.index, (h) => ctx.blocks.getReceipts(h))
  }
  const pooled = ctx.pool.getPoolTx(hash)
  return pooled === undefined ? null : formatTx(pooled.tx, undefined, pooled.sender)
}
