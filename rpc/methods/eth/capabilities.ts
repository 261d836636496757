import type { RpcMethod } from '../../types.ts'
import { toHex, toQuantity } from '../../hex.ts'

// an archive node that prunes nothing: every resource from genesis, no delete strategy
const FROM_GENESIS = { disabled: false, oldestBlock: '0x0' } as const

/**
 * eth_capabilities (execution-apis capabilities.yaml): the head and what history this node
 * serves, for RPC routers. This node keeps every block, receipt, log index and state since
 * genesis. Example: [] -> { head: { number: "0x2a", hash: "0x..." }, state: { disabled: false, oldestBlock: "0x0" }, ... }.
 */
export const capabilities: RpcMethod<'blocks'> = {
  name: 'eth_capabilities',
  minParams: 0,
  maxParams: 0,
  handler(ctx) {
    const head = ctx.blocks.head()
    return {
      head: { number: toQuantity(head.header.number), hash: toHex(head.hash()) },
      state: FROM_GENESIS,
      tx: FROM_GENESIS,
      logs: FROM_GENESIS,
      receipts: FROM_GENESIS,
      blocks: FROM_GENESIS,
      stateproofs: FROM_GENESIS,
    }
  },
}
