import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'

/** eth_blockNumber: number of the latest block. Example: "0x2a". */
export const blockNumber: RpcMethod<'blocks'> = {
  name: 'eth_blockNumber',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => toQuantity(ctx.blocks.head().header.number),
}
