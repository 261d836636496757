import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'
import { suggestTip } from './feeOracle.ts'

/** eth_gasPrice: suggested legacy gas price = suggested tip + latest base fee (geth). */
export const gasPrice: RpcMethod<'blocks'> = {
  name: 'eth_gasPrice',
  minParams: 0,
  maxParams: 0,
  async handler(ctx) {
    const tip = await suggestTip(ctx.blocks)
    return toQuantity(tip + (ctx.blocks.head().header.baseFeePerGas ?? 0n))
  },
}
