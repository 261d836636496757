import { Block, createBlock, createBlockHeader } from '@ethereumjs/block'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { BlockHeader, HeaderData } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { KECCAK256_RLP, createAddressFromString } from '@ethereumjs/util'
import { chainParams } from '../chainCommon.ts'
import { OpenLedgerError } from '../errors.ts'
import { calcNextBaseFee } from '../fees/calcNextBaseFee.ts'
import { readBlockParams } from '../modules/chainParams/blockParams.ts'
import { emptyRequestsHash } from '../genesis/createGenesis.ts'
import { defaultTxRulesOptions, validateTx } from '../tx/decodeTx.ts'
import type { TxRulesOptions } from '../tx/decodeTx.ts'
import { txEncoding } from '../tx/txCache.ts'
import { TX_ERROR } from '../tx/txErrors.ts'
import type { BuildResult } from '../types.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { assertBlockDeposits } from '../l2/assertBlockDeposits.ts'
import type { DepositTx } from '../l2/depositTx.ts'
import { BLOCK_ERROR } from './blockErrors.ts'
import { BlockTxExecution } from './blockTxExecution.ts'
import { applyPreBlockSystemWrites, assertNoRequestContracts } from './systemContracts.ts'
import { orderedTrieRoot } from './orderedTrieRoot.ts'

/** Options of {@link buildLinearBlock}. */
export type LinearBuildOptions = {
  /** block timestamp, seconds; must be greater than the parent's */
  timestamp: bigint
  /** header extraData (at most 32 bytes) */
  extraData: Uint8Array
  /** static tx rules (EIP-155 requirement) */
  txRules: TxRulesOptions
  /**
   * the block's deposits (rollup chains: the L1-info deposit first, then the user deposits of a new
   * epoch), all included in order before the candidate txs; a failed deposit is still included.
   * None by default; a chain without `rollup` refuses any.
   */
  deposits?: readonly DepositTx[]
}

/** Defaults of {@link LinearBuildOptions} (all but `timestamp`). */
export const defaultLinearBuildOptions = {
  extraData: new Uint8Array(0),
  txRules: defaultTxRulesOptions,
} as const

// The cheapest possible tx; below this much gas left the block is full.
const MIN_TX_GAS = 21_000n

/**
 * Build the next block on `parent` from its deposits (`options.deposits`, all included, first)
 * and candidate txs, in order, in linear time: one environment block, one {@link BlockTxExecution}
 * loop (the validator's too) running each tx against it, the tx and receipt tries computed once at the end in one pass
 * ({@link orderedTrieRoot}), one Block created from the
 * original tx objects (their cached senders are kept, so nothing is recovered twice). A tx that
 * fails static or state validation is skipped and reported in `rejected`; its state changes are
 * reverted by runTx. Only receipts are retained, never RunTxResults (their runState pins memory).
 * Deposits are never skipped: misplaced deposits (see assertBlockDeposits) or one the block gas
 * cannot hold throw L2_ERROR_INVALID_DEPOSITS.
 *
 * The VM's state must be at `parent.stateRoot`. On success the state is the new block's post-state
 * (committed in the VM journal, not persisted: the caller persists it with the block). On error
 * the journal is reverted; the caller must reset its state to the parent root.
 *
 * @example
 * const { block, receipts, rejected } = await buildLinearBlock(runtime, head.header, txs, { ...defaultLinearBuildOptions, timestamp })
 */
export async function buildLinearBlock(
  runtime: RuntimeVm,
  parent: BlockHeader,
  txs: Iterable<TypedTransaction>,
  options: LinearBuildOptions,
): Promise<BuildResult> {
  const { vm, spec, common } = runtime
  const blockOpts = { common, params: chainParams(spec) }
  const params = await readBlockParams(vm.stateManager, spec, parent.number + 1n)
  const baseFee = calcNextBaseFee(parent, params.baseFee)
  const headerData: HeaderData = {
    parentHash: parent.hash(),
    number: parent.number + 1n,
    timestamp: options.timestamp,
    gasLimit: params.gasLimit,
    coinbase: createAddressFromString(params.feeRecipients.priorityFee),
    baseFeePerGas: baseFee,
    extraData: options.extraData,
    difficulty: 0n,
    nonce: new Uint8Array(8),
    mixHash: new Uint8Array(32),
    withdrawalsRoot: KECCAK256_RLP,
    blobGasUsed: 0n,
    excessBlobGas: 0n,
    parentBeaconBlockRoot: new Uint8Array(32),
    requestsHash: emptyRequestsHash(common),
  }
  if (options.timestamp <= parent.timestamp) {
    throw new OpenLedgerError(BLOCK_ERROR.INVALID_TIMESTAMP, 'block timestamp must be greater than the parent timestamp', {
      timestamp: options.timestamp.toString(),
      parentTimestamp: parent.timestamp.toString(),
    })
  }
  const env = createBlock({ header: headerData }, blockOpts)
  const keccak = common.customCrypto.keccak256 ?? keccak_256
  const deposits = options.deposits ?? []
  assertBlockDeposits(deposits, spec)

  const run = new BlockTxExecution(runtime, env, keccak)
  const rejected: BuildResult['rejected'] = []

  await assertNoRequestContracts(vm)
  await vm.evm.journal.checkpoint()
  try {
    await applyPreBlockSystemWrites(vm, env.header)
    for (const deposit of deposits) await run.apply(deposit)
    for (const tx of txs) {
      if (run.gasLeft() < MIN_TX_GAS) break
      if (tx.gasLimit > run.gasLeft()) {
        rejected.push({
          tx,
          error: new OpenLedgerError(TX_ERROR.BLOCK_GAS_EXCEEDED, 'transaction gas limit exceeds the gas left in the block', {
            gasLimit: tx.gasLimit.toString(),
            gasLeft: run.gasLeft().toString(),
          }),
        })
        continue
      }
      try {
        validateTx(tx, common, options.txRules)
      } catch (error) {
        rejected.push({ tx, error: error as Error })
        continue
      }
      try {
        await run.apply(tx)
      } catch (cause) {
        if (cause instanceof OpenLedgerError && cause.code === BLOCK_ERROR.FEE_CREDIT_FAILED) throw cause
        rejected.push({ tx, error: new OpenLedgerError(TX_ERROR.EXECUTION_INVALID, 'transaction is invalid against the current state', {}, { cause }) })
      }
    }
    await vm.evm.journal.commit()
  } catch (err) {
    await vm.evm.journal.revert()
    throw err
  }

  const stateRoot = await vm.stateManager.getStateRoot()
  const transactionsTrie = orderedTrieRoot(run.included.map(txEncoding), keccak)
  const receiptTrie = orderedTrieRoot(run.encodedReceipts, keccak)
  const header = createBlockHeader({ ...headerData, stateRoot, transactionsTrie, receiptTrie, logsBloom: run.bloom.bitvector, gasUsed: run.gasUsed }, blockOpts)
  // The Block constructor (not createBlock) keeps the original tx objects and their cached senders;
  // deposits sit among them (they answer what Block and the tx trie use: type, hash, serialize, supports).
  const block = new Block(header, run.included as TypedTransaction[], [], [], blockOpts)
  return { block, receipts: run.receipts, rejected }
}
