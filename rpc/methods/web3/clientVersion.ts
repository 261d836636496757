import type { RpcMethod } from '../../types.ts'

/** web3_clientVersion: the node's version string, e.g. "openledger/v0.1.0". */
export const clientVersion: RpcMethod<'clientVersion'> = {
  name: 'web3_clientVersion',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => ctx.clientVersion,
}
