import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'
import { suggestTip } from './feeOracle.ts'

/** eth_maxPriorityFeePerGas: suggested EIP-1559 tip, wei. Example: "0xf4240". */
export const maxPriorityFeePerGas: RpcMethod<'blocks'> = {
  name: 'eth_maxPriorityFeePerGas',
  minParams: 0,
  maxParams: 0,
  handler: async (ctx) => toQuantity(await suggestTip(ctx.blocks)),
}
