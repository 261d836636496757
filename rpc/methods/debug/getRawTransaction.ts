import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { parseHash } from '../../params/parse.ts'

/** debug_getRawTransaction: the EIP-2718 bytes of a mined or pooled tx; null when unknown (geth). */
export const getRawTransaction: RpcMethod<'blocks' | 'pool'> = {
  name: 'debug_getRawTransaction',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const hash = parseHash(params[0], 0)
    const loc = await ctx.blocks.getTxLocation(hash)
    const mined = loc === undefined ? undefined : (await ctx.blocks.getBlockByHash(loc.blockHash))?.transactions[loc.index]
    const tx = mined ?? ctx.pool.getPoolTx(hash)?.tx
    return tx === undefined ? null : toHex(tx.serialize())
  },
}
