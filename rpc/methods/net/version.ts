import type { RpcMethod } from '../../types.ts'

/** net_version: the network id as a decimal string (equal to the chain id). Example: "1337". */
export const version: RpcMethod<'chainInfo'> = {
  name: 'net_version',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => ctx.chainInfo.chainId.toString(10),
}
