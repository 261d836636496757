import type { Block } from '@ethereumjs/block'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { OpenLedgerError } from '../errors.ts'
import { defaultTxRulesOptions, validateTx } from '../tx/decodeTx.ts'
import type { TxRulesOptions } from '../tx/decodeTx.ts'
import { txEncoding } from '../tx/txCache.ts'
import type { ExecutedBlock } from '../types.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { assertBlockDeposits } from '../l2/assertBlockDeposits.ts'
import { isDepositTx } from '../l2/depositTx.ts'
import { BLOCK_ERROR } from './blockErrors.ts'
import { BlockTxExecution } from './blockTxExecution.ts'
import type { BlockTx } from './executeBlockTx.ts'
import { orderedTrieRoot } from './orderedTrieRoot.ts'
import { applyPreBlockSystemWrites, assertNoRequestContracts } from './systemContracts.ts'
import { validateHeader } from './validateHeader.ts'
import { readBlockParams } from '../modules/chainParams/blockParams.ts'

/** Options of {@link executeBlock}. */
export type ExecuteBlockOptions = {
  /** static tx rules; must match the producer's */
  txRules: TxRulesOptions
}

/** Defaults of {@link ExecuteBlockOptions}. */
export const defaultExecuteBlockOptions: ExecuteBlockOptions = { txRules: defaultTxRulesOptions }

/**
 * Validator path: check a block received from the network against this chain's rules, then
 * re-execute it through the builder's own per-tx loop ({@link BlockTxExecution}, the same
 * {@link executeBlockTx} per tx: deposits by runDepositTx, signed txs by runTx), never runBlock.
 *
 * Checked before execution: header rules against the parent from the ChainReader
 * ({@link validateHeader}), no uncles or withdrawals, the transactions root (one pass,
 * {@link orderedTrieRoot}), the deposit rules (assertBlockDeposits: on a rollup chain tx 0 is the
 * L1-info deposit and deposits precede signed txs; no deposits without `rollup`), and per signed tx
 * the static rules and signature ({@link validateTx}). During execution: the block's gas limit per
 * tx (as runBlock), then runTx's intrinsic gas, fee cap >= base fee, nonce and balance. After it:
 * receipt trie, bloom, gas used and state root against the header (the requests hash is a header
 * rule: no request contract may have code).
 *
 * The VM's state must be at the parent's state root. On success the state is the block's
 * post-state (not persisted). On error the journal is reverted; the caller must reset its state
 * to the parent root.
 *
 * @example
 * const executed = await executeBlock(runtime, createBlockFromRLP(rlp, { common }))
 */
export async function executeBlock(runtime: RuntimeVm, block: Block, options: ExecuteBlockOptions = defaultExecuteBlockOptions): Promise<ExecutedBlock> {
  const { vm, common, spec } = runtime
  const header = block.header
  const meta = { number: header.number.toString(), hash: bytesToHex(block.hash()) }
  const parent = await runtime.chain.getHeaderByHash(header.parentHash)
  if (parent === undefined) throw new OpenLedgerError(BLOCK_ERROR.UNKNOWN_PARENT, 'parent block is unknown', meta)
  validateHeader(header, parent, await readBlockParams(vm.stateManager, spec, header.number))
  if (block.uncleHeaders.length > 0) throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'blocks may not have uncles', meta)
  if ((block.withdrawals?.length ?? 0) > 0) throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'blocks may not have withdrawals', meta)
  const keccak = common.customCrypto.keccak256 ?? keccak_256
  const txs = block.transactions as BlockTx[]
  const txRoot = orderedTrieRoot(txs.map(txEncoding), keccak)
  if (!equalsBytes(txRoot, header.transactionsTrie)) {
    throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'transactions root does not match the transactions', meta)
  }
  assertBlockDeposits(txs, spec)
  for (const [index, tx] of txs.entries()) {
    if (isDepositTx(tx)) continue
    try {
      validateTx(tx, common, options.txRules)
    } catch (cause) {
      throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'block contains an invalid transaction', { ...meta, index }, { cause })
    }
  }
  await assertNoRequestContracts(vm)
  const run = new BlockTxExecution(runtime, block, keccak)
  await vm.evm.journal.checkpoint()
  try {
    await applyPreBlockSystemWrites(vm, header)
    for (const [index, tx] of txs.entries()) {
      if (!isDepositTx(tx) && tx.gasLimit > run.gasLeft()) {
        throw new OpenLedgerError(BLOCK_ERROR.INVALID_EXECUTION, 'transaction gas limit exceeds the gas left in the block', { ...meta, index })
      }
      try {
        await run.apply(tx)
      } catch (cause) {
        if (cause instanceof OpenLedgerError) throw cause
        throw new OpenLedgerError(BLOCK_ERROR.INVALID_EXECUTION, 'block re-execution does not match its header', { ...meta, index }, { cause })
      }
    }
    const mismatch = headerMismatch(block, run, keccak)
    if (mismatch !== undefined) {
      throw new OpenLedgerError(BLOCK_ERROR.INVALID_EXECUTION, 'block re-execution does not match its header', { ...meta, field: mismatch })
    }
    await vm.evm.journal.commit()
  } catch (err) {
    await vm.evm.journal.revert()
    throw err
  }
  // The state root outside the checkpoint, as the builder computes it: the flat backend then makes
  // the block's changes its base state. Inside a checkpoint it works on throw-away tries re-read
  // from the store and keeps the changes in its overlay, so every later block re-inserted all
  // earlier blocks' accounts: import time grew with the chain (measured: 100 ms a block of 100
  // transfers at block 25, 575 ms at block 150; bench/sync/importBlocks.ts).
  if (!equalsBytes(await vm.stateManager.getStateRoot(), header.stateRoot)) {
    // the changes are already the state: back to the parent's, as after any other refusal
    await vm.stateManager.setStateRoot(parent.stateRoot)
    throw new OpenLedgerError(BLOCK_ERROR.INVALID_EXECUTION, 'block re-execution does not match its header', { ...meta, field: 'stateRoot' })
  }
  return { block, receipts: run.receipts }
}

/** The first header field the re-execution disagrees with before the state root (runBlock's order: receipts, bloom, gas), if any. */
function headerMismatch(block: Block, run: BlockTxExecution, keccak: (data: Uint8Array) => Uint8Array): string | undefined {
  const header = block.header
  if (!equalsBytes(orderedTrieRoot(run.encodedReceipts, keccak), header.receiptTrie)) return 'receiptTrie'
  if (!equalsBytes(run.bloom.bitvector, header.logsBloom)) return 'logsBloom'
  if (run.gasUsed !== header.gasUsed) return 'gasUsed'
  return undefined
}
