import type { RpcMethod } from '../../types.ts'
import { parseHash } from '../../params/parse.ts'
import { lookupTx } from './txLookup.ts'

/** eth_getTransactionByHash: a mined or pending tx; null when unknown. */
export const getTransactionByHash: RpcMethod<'blocks' | 'pool'> = {
  name: 'eth_getTransactionByHash',
  minParams: 1,
  maxParams: 1,
  handler: (ctx, params) => lookupTx(ctx, parseHash(params[0], 0)),
}
