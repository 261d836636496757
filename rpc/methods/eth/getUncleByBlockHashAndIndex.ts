import type { RpcMethod } from '../../types.ts'
import { parseHash, parseUint64 } from '../../params/parse.ts'

/** eth_getUncleByBlockHashAndIndex: always null (no uncles after the merge); params are still validated. */
export const getUncleByBlockHashAndIndex: RpcMethod<never> = {
  name: 'eth_getUncleByBlockHashAndIndex',
  minParams: 2,
  maxParams: 2,
  handler(_ctx, params) {
    parseHash(params[0], 0)
    parseUint64(params[1], 1)
    return null
  },
}
