import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { runTx } from '@ethereumjs/vm'
import type { RunTxResult } from '@ethereumjs/vm'
import { OpenLedgerError } from '../errors.ts'
import { isDepositTx } from '../l2/depositTx.ts'
import type { DepositTx } from '../l2/depositTx.ts'
import { runDepositTx } from '../l2/runDepositTx.ts'
import type { DepositTxResult } from '../l2/runDepositTx.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { BLOCK_ERROR } from './blockErrors.ts'
import { applyPreBlockSystemWrites } from './systemContracts.ts'

/** A transaction of a block: a signed ethereumjs tx or an OP Stack deposit (0x7E). */
export type BlockTx = TypedTransaction | DepositTx

/** What one block tx leaves: runTx's result for a signed tx, {@link runDepositTx}'s for a deposit. */
export type BlockTxResult = RunTxResult | DepositTxResult

/**
 * One tx of a block, as block production, validation and replay run it: a deposit through
 * {@link runDepositTx}; a signed tx through runTx against the block's env with the gas the block's
 * earlier txs used, then the base-fee credit's outcome. A failed credit throws
 * BLOCK_ERROR_FEE_CREDIT_FAILED (the block cannot be built or replayed); any other throw of a signed
 * tx is runTx's rejection of it, with the tx's changes reverted (a deposit is never rejected: it
 * throws only on a state store error).
 */
export async function executeBlockTx(runtime: RuntimeVm, env: Block, tx: TypedTransaction, blockGasUsed: bigint): Promise<RunTxResult>
export async function executeBlockTx(runtime: RuntimeVm, env: Block, tx: BlockTx, blockGasUsed: bigint): Promise<BlockTxResult>
export async function executeBlockTx(runtime: RuntimeVm, env: Block, tx: BlockTx, blockGasUsed: bigint): Promise<BlockTxResult> {
  if (isDepositTx(tx)) return runDepositTx(runtime, env, tx, blockGasUsed)
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
 * Replay the pre-tx system writes and the first `count` txs of `block` (deposits included) on a
 * runtime VM at the parent's state, exactly as the block was built, so the next tx can be re-run
 * (traced) in the state and position it had.
 */
export async function replayBlockTxs(runtime: RuntimeVm, block: Block, count: number): Promise<ReplayPosition> {
  await applyPreBlockSystemWrites(runtime.vm, block.header)
  let blockGasUsed = 0n
  let logCount = 0
  for (let i = 0; i < count; i++) {
    const tx = block.transactions[i] as BlockTx | undefined
    if (tx === undefined) break
    const r = await executeBlockTx(runtime, block, tx, blockGasUsed)
    blockGasUsed += r.totalGasSpent
    logCount += r.receipt.logs.length
  }
  return { blockGasUsed, logCount }
}
