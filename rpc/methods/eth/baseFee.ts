import type { RpcMethod } from '../../types.ts'
import { calcNextBaseFee } from '../../../runtime/index.ts'
import { toQuantity } from '../../hex.ts'

/**
 * eth_baseFee: the base fee per gas of the next block (execution-apis; geth's BaseFee), by the
 * chain spec's EIP-1559 rules. Example: [] -> "0x3b9aca00".
 */
export const baseFee: RpcMethod<'blocks' | 'chainInfo'> = {
  name: 'eth_baseFee',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => toQuantity(calcNextBaseFee(ctx.blocks.head().header, ctx.chainInfo.baseFeeParams)),
}
