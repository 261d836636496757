import type { RpcMethod } from '../../types.ts'
import { parseUint64 } from '../../params/parse.ts'
import { parseBlockNumberOrTag } from '../../params/blockParam.ts'

/** eth_getUncleByBlockNumberAndIndex: always null (no uncles after the merge); params are still validated. */
export const getUncleByBlockNumberAndIndex: RpcMethod<never> = {
  name: 'eth_getUncleByBlockNumberAndIndex',
  minParams: 2,
  maxParams: 2,
  handler(_ctx, params) {
    parseBlockNumberOrTag(params[0], 0)
    parseUint64(params[1], 1)
    return null
  },
}
