import type { Block } from '@ethereumjs/block'
import type { TxReceipt as VmTxReceipt } from '@ethereumjs/vm'
import { Bloom } from '@ethereumjs/vm'
import { OpenLedgerError } from '../errors.ts'
import { isDepositTx } from '../l2/depositTx.ts'
import { encodeDepositReceipt } from '../l2/encodeDepositReceipt.ts'
import { L2_ERROR } from '../l2/l2Errors.ts'
import type { DepositTxResult } from '../l2/runDepositTx.ts'
import type { TxReceipt } from '../types.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { encodeTxReceipt } from './encodeTxReceipt.ts'
import { executeBlockTx } from './executeBlockTx.ts'
import type { BlockTx } from './executeBlockTx.ts'
import { toTxReceipt } from './toTxReceipt.ts'

/**
 * The per-tx loop of a block, shared by the builder ({@link buildLinearBlock}) and the validator
 * ({@link executeBlock}) so a block is re-executed by the code that produced it: each applied tx
 * runs through {@link executeBlockTx} against the block's env, and its receipt, consensus receipt
 * encoding, bloom and gas are accumulated in block order.
 *
 * A deposit whose gas limit does not fit the gas left in the block makes the block invalid
 * (L2_ERROR_INVALID_DEPOSITS; op-geth's "gas limit reached", the one deposit error that is not a
 * failed receipt). Signed txs are checked by the caller (the builder skips, the validator refuses).
 */
export class BlockTxExecution {
  /** header gasUsed so far (sum of blockGasSpent) */
  gasUsed = 0n
  /** receipts' cumulative gas so far (sum of totalGasSpent) */
  receiptGasUsed = 0n
  readonly bloom: Bloom
  readonly included: BlockTx[] = []
  readonly receipts: TxReceipt[] = []
  readonly encodedReceipts: Uint8Array[] = []
  #logCount = 0
  readonly #runtime: RuntimeVm
  readonly #env: Block
  readonly #keccak: (data: Uint8Array) => Uint8Array

  constructor(runtime: RuntimeVm, env: Block, keccak: (data: Uint8Array) => Uint8Array) {
    this.#runtime = runtime
    this.#env = env
    this.#keccak = keccak
    this.bloom = new Bloom(undefined, runtime.common)
  }

  /** Gas the block has left for a tx's gas limit. */
  gasLeft(): bigint {
    return this.#env.header.gasLimit - this.gasUsed
  }

  /**
   * Execute `tx` as the next tx of the block and record it. Throws what {@link executeBlockTx}
   * throws (nothing is recorded then), and L2_ERROR_INVALID_DEPOSITS for a deposit the block's gas
   * cannot hold.
   */
  async apply(tx: BlockTx): Promise<TxReceipt> {
    if (isDepositTx(tx) && tx.gasLimit > this.gasLeft()) {
      throw new OpenLedgerError(L2_ERROR.INVALID_DEPOSITS, 'deposit gas limit exceeds the gas left in the block', {
        index: this.included.length,
        gasLimit: tx.gasLimit.toString(),
        gasLeft: this.gasLeft().toString(),
      })
    }
    const result = await executeBlockTx(this.#runtime, this.#env, tx, this.receiptGasUsed)
    const receipt = toTxReceipt(tx, result, this.included.length, this.#env.header.baseFeePerGas ?? 0n, this.#logCount, this.#keccak)
    this.gasUsed += result.blockGasSpent
    this.receiptGasUsed += result.totalGasSpent
    this.bloom.or(result.bloom)
    this.#logCount += receipt.logs.length
    this.receipts.push(receipt)
    this.included.push(tx)
    const consensus = result.receipt as VmTxReceipt
    this.encodedReceipts.push(isDepositTx(tx) ? encodeDepositReceipt(consensus, (result as DepositTxResult).depositNonce) : encodeTxReceipt(consensus, tx.type))
    return receipt
  }
}
