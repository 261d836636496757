import type { AfterTxEvent, VM } from '@ethereumjs/vm'
import { Account, type Address } from '@ethereumjs/util'

/** The base-fee crediting hook installed on a runtime VM (see {@link installFeeHook}). */
export type FeeHook = {
  /** the account that receives baseFee * gasUsed of every tx */
  readonly recipient: Address
  /**
   * The error a credit failed with since the last call, if any (the VM's async event emitter
   * cannot propagate it). Builders and validators call this after every tx / block and fail.
   */
  takeError(): unknown
}

/**
 * OPEN is never burned: after every tx, credit baseFee * gasUsed (= amountSpent - minerValue;
 * the priority fee already went to the coinbase) to `recipient`.
 *
 * The VM emits `afterTx` inside the tx checkpoint, which runTx opens in both paths: our linear
 * builder (runTx per tx) and runBlock (validator). So the credit is journaled with the tx and
 * lands in the state root either way (vm/dist/esm/runTx.js: `_emit('afterTx')` precedes the
 * tx-level `journal.commit()`).
 */
export function installFeeHook(vm: VM, recipient: Address): FeeHook {
  let failure: unknown
  const credit = async (event: AfterTxEvent): Promise<void> => {
    const amount = event.amountSpent - event.minerValue
    if (amount <= 0n) return
    const account = (await vm.stateManager.getAccount(recipient)) ?? new Account()
    account.balance += amount
    await vm.evm.journal.putAccount(recipient, account)
  }
  // two-argument listener: the VM awaits `resolve` before continuing the tx
  vm.events.on('afterTx', (event: AfterTxEvent, resolve?: (result?: unknown) => void) => {
    credit(event).then(
      () => resolve?.(),
      (err: unknown) => {
        failure ??= err
        resolve?.()
      },
    )
  })
  return {
    recipient,
    takeError() {
      const err = failure
      failure = undefined
      return err
    },
  }
}
