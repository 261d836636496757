import type { RpcMethod } from '../../types.ts'
import { devControlsOf, parseSeconds } from './devControlsOf.ts'

/**
 * evm_increaseTime (--dev sequencer only): add `seconds` (a JSON number or a hex quantity) to the
 * offset of the next blocks' timestamps; offsets add up. Answers the total offset in seconds as a
 * JSON number, as anvil does (Hardhat answers it as a decimal string). Mine a block to see it.
 * Example: {"method":"evm_increaseTime","params":["0x93a80"]} -> 604800.
 */
export const increaseTime: RpcMethod<'dev' | 'control'> = {
  name: 'evm_increaseTime',
  minParams: 1,
  maxParams: 1,
  handler(ctx, params) {
    const controls = devControlsOf(ctx, 'evm_increaseTime')
    return Number(controls.increaseTime(parseSeconds(params[0], 0, 'seconds')))
  },
}
