import type { RpcMethod } from '../../types.ts'
import { parseQuantity } from '../../params/parse.ts'
import { devControlsOf } from './devControlsOf.ts'

/**
 * evm_revert (--dev sequencer only): put the chain back to snapshot `id` (blocks, receipts, logs,
 * state, the pool's view, the time offset). The blocks mined since are deleted and their txs
 * dropped, as on anvil. That snapshot and every later one are used up. Answers true, or false
 * for an unknown (or used) id.
 * Example: {"method":"evm_revert","params":["0x1"]} -> true.
 */
export const revert: RpcMethod<'dev' | 'control'> = {
  name: 'evm_revert',
  minParams: 1,
  maxParams: 1,
  handler(ctx, params) {
    const controls = devControlsOf(ctx, 'evm_revert')
    return controls.revert(parseQuantity(params[0], 0))
  },
}
