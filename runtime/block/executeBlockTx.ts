import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { runTx } from '@ethereumjs/vm'
import type { RunTxResult } from '@ethereumjs/vm'
import { OpenLedgerError } from '../errors.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { BLOCK_ERROR } from './blockErrors.ts'
import { applyPreBlockSystemWrites } from './systemContracts.ts'

/**
 * One tx of a block, as block production and replay run it: runTx against the block's env with
 * the gas the block's earlier txs used, then the base-fee credit's outcome. A failed credit
 * throws BLOCK_ERROR_FEE_CREDIT_FAILED (the block cannot be built or replayed); any other throw is
 * runTx's rejection of the tx, with the tx's changes reverted.
 */
export async function executeBlockTx(runtime: RuntimeVm, env: Block, tx: TypedTransaction, blockGasUsed: bigint): Promise<RunTxResult> {
  let result: RunTxResult
  try {
    result = await runTx(runtime.vm, { tx, block: env, blockGasUsed })
  } catch (cause) {
    throwFeeCreditFailure(runtime)
    throw cause
  }
  throwFeeCreditFailure(runtime)
  return result
}

function throwFeeCreditFailure(runtime: RuntimeVm): void {
  const failure = runtime.feeHook.takeError()
  if (failure !== undefined) throw new OpenLedgerError(BLOCK_ERROR.FEE_CREDIT_FAILED, 'crediting the base fee failed', {}, { cause: failure })
}

/** What a replay of a block's first txs leaves behind for the next one. */
export type ReplayPosition = {
  /** gas the replayed txs used (the next tx's blockGasUsed) */
  blockGasUsed: bigint
  /** logs the replayed txs emitted (the next tx's first log index) */
  logCount: number
}

/**
 * Replay the pre-tx system writes and the first `count` txs of `block` on a runtime VM at the
 * parent's state, exactly as the block was built, so the next tx can be re-run (traced) in the
 * state and position it had.
 */
export async function replayBlockTxs(runtime: RuntimeVm, block: Block, count: number): Promise<ReplayPosition> {
  await applyPreBlockSystemWrites(runtime.vm, block.header)
  let blockGasUsed = 0n
  let logCount = 0
  for (let i = 0; i < count; i++) {
    const tx = block.transactions[i]
    if (tx === undefined) break
    const r = await executeBlockTx(runtime, block, tx, blockGasUsed)
    blockGasUsed += r.totalGasSpent
    logCount += r.receipt.logs.length
  }
  return { blockGasUsed, logCount }
}
