import type { ChainSpec } from '../../genesis/index.ts'
import { OpenLedgerError } from '../errors.ts'
import { isDepositTx } from './depositTx.ts'
import { L2_ERROR } from './l2Errors.ts'
import { blockL1Info } from './l1Info.ts'

/**
 * The rollup rules on where deposits sit in a block (OP specs deposits.md), checked by the builder
 * and the validator alike: on a chain whose spec has `rollup`, tx 0 is a well-formed L1-info
 * deposit ({@link blockL1Info}) and every deposit precedes every signed tx; a chain without
 * `rollup` has no deposits at all. Throws L2_ERROR_INVALID_DEPOSITS.
 *
 * @example
 * assertBlockDeposits(block.transactions, runtime.spec)
 */
export function assertBlockDeposits(txs: readonly unknown[], spec: ChainSpec): void {
  if (spec.rollup === undefined) {
    const index = txs.findIndex(isDepositTx)
    if (index >= 0) throw new OpenLedgerError(L2_ERROR.INVALID_DEPOSITS, 'deposit transactions need a rollup chain spec', { index })
    return
  }
  blockL1Info(txs)
  let signedSeen = false
  for (const [index, tx] of txs.entries()) {
    if (!isDepositTx(tx)) signedSeen = true
    else if (signedSeen) throw new OpenLedgerError(L2_ERROR.INVALID_DEPOSITS, 'deposits must precede all signed transactions', { index })
  }
}
