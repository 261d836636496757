import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { parseData } from '../../params/parse.ts'

/** eth_sendRawTransaction: validate a signed tx, add it to the pool, return its hash. */
export const sendRawTransaction: RpcMethod<'txs'> = {
  name: 'eth_sendRawTransaction',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const raw = parseData(params[0], 0)
    return toHex(await ctx.txs.sendRawTransaction(raw))
  },
}
