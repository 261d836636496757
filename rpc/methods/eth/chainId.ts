import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'

/** eth_chainId: EIP-695 chain id as a hex quantity. Example: "0x539". */
export const chainId: RpcMethod<'chainInfo'> = {
  name: 'eth_chainId',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => toQuantity(ctx.chainInfo.chainId),
}
