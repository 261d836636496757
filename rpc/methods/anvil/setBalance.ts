import type { RpcMethod } from '../../types.ts'
import { parseAddress, parseQuantity } from '../../params/parse.ts'
import { devControlsOf } from '../evm/devControlsOf.ts'

/**
 * The set-balance method under `name`, answering `answer` (--dev sequencer only): set `address`'s
 * balance (a quantity) at the head. The node mines the change as a block of its own (no txs,
 * extraData "openledger dev: setBalance"): when the answer comes, "latest" shows it, and it is on
 * disk with that block's state root, so it survives a restart and every reader (pool, calls,
 * proofs) sees one consistent head. Unlike anvil, the block number moves on by one. OPEN is
 * created or destroyed outside any tx: a dev-only break of supply conservation, which the block's
 * extraData owns up to.
 */
export function setBalanceMethod(name: string, answer: null | true): RpcMethod<'dev' | 'control'> {
  return {
    name,
    minParams: 2,
    maxParams: 2,
    async handler(ctx, params) {
      const controls = devControlsOf(ctx, name)
      await controls.setBalance(parseAddress(params[0], 0), parseQuantity(params[1], 1))
      return answer
    },
  }
}

/**
 * anvil_setBalance: see {@link setBalanceMethod}; answers null, as anvil.
 * Example: {"method":"anvil_setBalance","params":["0x70997970c51812dc3a010c7d01b50e0d17dc79c8","0xde0b6b3a7640000"]} -> null.
 */
export const setBalance = setBalanceMethod('anvil_setBalance', null)
