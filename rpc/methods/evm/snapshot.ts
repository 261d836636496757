import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'
import { devControlsOf } from './devControlsOf.ts'

/**
 * evm_snapshot (--dev sequencer only): remember the chain head and the block clock; answers the
 * snapshot id as a quantity ("0x1", "0x2", ...), as Hardhat. Snapshots live in memory.
 * Example: {"method":"evm_snapshot","params":[]} -> "0x1".
 */
export const snapshot: RpcMethod<'dev' | 'control'> = {
  name: 'evm_snapshot',
  minParams: 0,
  maxParams: 0,
  async handler(ctx) {
    return toQuantity(await devControlsOf(ctx, 'evm_snapshot').snapshot())
  },
}
