import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'
import { parseAddressHex } from '../../params/parse.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

/**
 * eth_getTransactionCount: account nonce at a block; "pending" counts the sender's pooled txs
 * (geth semantics, used by wallets to pick the next nonce). Example: ["0x7099...79c8", "pending"] -> "0x3".
 */
export const getTransactionCount: RpcMethod<'blocks' | 'state' | 'txs'> = {
  name: 'eth_getTransactionCount',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    if (params[1] === 'pending') return toQuantity(await ctx.txs.pendingNonce(address))
    const n = await resolveStateBlock(ctx.blocks, parseBlockParam(params[1], 1))
    const a = await ctx.state.getAccount(address, n)
    return toQuantity(a?.nonce ?? 0n)
  },
}
