import type { RpcMethod } from '../../types.ts'
import { devControlsOf, parseSeconds } from './devControlsOf.ts'

/**
 * evm_setNextBlockTimestamp (--dev sequencer only): the next block gets exactly this timestamp
 * (a JSON number or a hex quantity); later blocks continue from it (the offset moves, as on
 * anvil). It must be above the head's timestamp, else -32602 "Timestamp error: ...". Answers
 * null, as anvil does.
 * Example: {"method":"evm_setNextBlockTimestamp","params":[1900000000]} -> null.
 */
export const setNextBlockTimestamp: RpcMethod<'dev' | 'control'> = {
  name: 'evm_setNextBlockTimestamp',
  minParams: 1,
  maxParams: 1,
  handler(ctx, params) {
    const controls = devControlsOf(ctx, 'evm_setNextBlockTimestamp')
    controls.setNextBlockTimestamp(parseSeconds(params[0], 0, 'timestamp'))
    return null
  },
}
