import type { AfterTxEvent, VM } from '@ethereumjs/vm'
import { Account, type Address, createAddressFromString } from '@ethereumjs/util'
import type { BlockParams } from '../modules/chainParams/blockParams.ts'

/** The base-fee crediting hook installed on a runtime VM (see {@link installFeeHook}). */
export type FeeHook = {
  /**
   * The error a credit failed with since the last call, if any (the VM's async event emitter
   * cannot propagate it). Builders and validators call this after every tx / block and fail.
   */
  takeError(): unknown
}

/**
 * OPEN is never burned: after every tx, credit baseFee * gasUsed (= amountSpent - minerValue;
 * the priority fee already went to the coinbase) to the block's fee recipients (`paramsOf`, the
 * governed parameters of the block the tx runs in): baseFeeShareBps of it to the base-fee
 * recipient, the rest to the priority-fee recipient.
 *
 * The EVM can destroy OPEN in one more way: a contract created and SELFDESTRUCTed to itself in
 * the same tx is deleted at the end of the tx (EIP-6780) with whatever balance it received after
 * its SELFDESTRUCT (the balance it had at the opcode is handled by noBurnSelfdestructOpcode). The
 * hook credits the balance of every account the tx-end processing deletes to the base-fee recipient too
 * (EIP-161 cleanup deletes only empty accounts), so total supply is exactly conserved.
 *
 * The VM emits `afterTx` inside the tx checkpoint, which runTx opens in both paths: our linear
 * builder (runTx per tx) and runBlock (validator). So the credit is journaled with the tx and
 * lands in the state root either way (vm/dist/esm/runTx.js: `_emit('afterTx')` precedes the
 * tx-level `journal.commit()`).
 */
export function installFeeHook(vm: VM, paramsOf: () => Promise<BlockParams>): FeeHook {
  let failure: unknown
  const journal = vm.evm.journal
  const deleteAccount = journal.deleteAccount.bind(journal)
  journal.deleteAccount = async (address: Address): Promise<void> => {
    const balance = (await vm.stateManager.getAccount(address))?.balance ?? 0n
    await deleteAccount(address)
    if (balance > 0n) await add(createAddressFromString((await paramsOf()).feeRecipients.baseFee), balance)
  }
  const add = async (recipient: Address, amount: bigint): Promise<void> => {
    const account = (await vm.stateManager.getAccount(recipient)) ?? new Account()
    account.balance += amount
    await journal.putAccount(recipient, account)
  }
  const credit = async (event: AfterTxEvent): Promise<void> => {
    const amount = event.amountSpent - event.minerValue
    if (amount <= 0n) return
    const params = await paramsOf()
    // the governed split: floor(amount x share) to the base-fee recipient, the remainder (no wei lost) to the priority-fee one
    const toBase = (amount * params.baseFeeShareBps) / 10_000n
    if (toBase > 0n) await add(createAddressFromString(params.feeRecipients.baseFee), toBase)
    if (amount - toBase > 0n) await add(createAddressFromString(params.feeRecipients.priorityFee), amount - toBase)
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
    takeError() {
      const err = failure
      failure = undefined
      return err
    },
  }
}
