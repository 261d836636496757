import type { Block } from '@ethereumjs/block'
import { runBlock } from '@ethereumjs/vm'
import { OpenLedgerError } from '../errors.ts'
import { defaultTxRulesOptions, validateTx } from '../tx/decodeTx.ts'
import type { TxRulesOptions } from '../tx/decodeTx.ts'
import type { ExecutedBlock, TxReceipt } from '../types.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { BLOCK_ERROR } from './blockErrors.ts'
import { assertNoRequestContracts } from './systemContracts.ts'
import { toTxReceipt } from './toTxReceipt.ts'

/** Options of {@link executeBlock}. */
export type ExecuteBlockOptions = {
  /** static tx rules; must match the producer's */
  txRules: TxRulesOptions
}

/** Defaults of {@link ExecuteBlockOptions}. */
export const defaultExecuteBlockOptions: ExecuteBlockOptions = { txRules: defaultTxRulesOptions }

/**
 * Validator path: check a block received from the network (decoded from RLP) against this chain's
 * body rules, then re-execute it with runBlock on the runtime VM (header rules through the
 * ChainReader port, tx trie and signatures, execution with the base-fee hook, then state root,
 * receipt trie, bloom, gas used and requests hash compared with the header).
 *
 * The VM's state must be at the parent's state root. On success the state is the block's
 * post-state (not persisted). On error the caller must reset its state to the parent root.
 *
 * @example
 * const executed = await executeBlock(runtime, createBlockFromRLP(rlp, { common }))
 */
export async function executeBlock(runtime: RuntimeVm, block: Block, options: ExecuteBlockOptions = defaultExecuteBlockOptions): Promise<ExecutedBlock> {
  const { vm, common, feeHook } = runtime
  const meta = { number: block.header.number.toString() }
  if (block.uncleHeaders.length > 0) throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'blocks may not have uncles', meta)
  if ((block.withdrawals?.length ?? 0) > 0) throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'blocks may not have withdrawals', meta)
  for (const [index, tx] of block.transactions.entries()) {
    try {
      validateTx(tx, common, options.txRules)
    } catch (cause) {
      throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'block contains an invalid transaction', { ...meta, index }, { cause })
    }
  }
  await assertNoRequestContracts(vm)
  let result
  try {
    result = await runBlock(vm, { block })
  } catch (cause) {
    const failure = feeHook.takeError()
    if (failure !== undefined) throw new OpenLedgerError(BLOCK_ERROR.FEE_CREDIT_FAILED, 'crediting the base fee failed', meta, { cause: failure })
    if (cause instanceof OpenLedgerError) throw cause
    throw new OpenLedgerError(BLOCK_ERROR.INVALID_EXECUTION, 'block re-execution does not match its header', meta, { cause })
  }
  const failure = feeHook.takeError()
  if (failure !== undefined) throw new OpenLedgerError(BLOCK_ERROR.FEE_CREDIT_FAILED, 'crediting the base fee failed', meta, { cause: failure })
  const baseFee = block.header.baseFeePerGas ?? 0n
  const receipts: TxReceipt[] = []
  let logCount = 0
  for (const [index, tx] of block.transactions.entries()) {
    const txResult = result.results[index]
    if (txResult === undefined) throw new OpenLedgerError(BLOCK_ERROR.INVALID_EXECUTION, 'runBlock returned fewer results than txs', meta)
    const receipt = toTxReceipt(tx, txResult, index, baseFee, logCount)
    logCount += receipt.logs.length
    receipts.push(receipt)
  }
  return { block, receipts }
}
