import type { StateManagerInterface } from '@ethereumjs/common'
import { Address, KECCAK256_NULL, KECCAK256_RLP, equalsBytes, utf8ToBytes } from '@ethereumjs/util'
import type { DevBalance } from './types.ts'

/**
 * extraData of a block that set --dev balances (anvil_setBalance): whoever replays the chain sees
 * why that block's state root does not follow from its txs alone.
 */
export const DEV_BALANCES_EXTRA_DATA = utf8ToBytes('openledger dev: setBalance')

/**
 * Set each balance on `state` (at the parent's state, before the block's txs). An account left
 * empty (no nonce, balance, code or storage) is removed, as EIP-161 would have it, so setting 0
 * on an unknown address creates nothing.
 */
export async function applyDevBalances(state: StateManagerInterface, balances: readonly DevBalance[]): Promise<void> {
  for (const { address, balance } of balances) {
    const at = new Address(address)
    const account = await state.getAccount(at)
    if (account === undefined && balance === 0n) continue
    const empty =
      balance === 0n &&
      account !== undefined &&
      account.nonce === 0n &&
      equalsBytes(account.codeHash, KECCAK256_NULL) &&
      equalsBytes(account.storageRoot, KECCAK256_RLP)
    if (empty) await state.deleteAccount(at)
    else await state.modifyAccountFields(at, { balance })
  }
}
