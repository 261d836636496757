import type { Block } from '@ethereumjs/block'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import { runBlock } from '@ethereumjs/vm'
import type { RunBlockResult } from '@ethereumjs/vm'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { OpenLedgerError } from '../errors.ts'
import { defaultTxRulesOptions, validateTx } from '../tx/decodeTx.ts'
import type { TxRulesOptions } from '../tx/decodeTx.ts'
import { txEncoding } from '../tx/txCache.ts'
import type { ExecutedBlock, TxReceipt } from '../types.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { BLOCK_ERROR } from './blockErrors.ts'
import { orderedTrieRoot } from './orderedTrieRoot.ts'
import { assertNoRequestContracts } from './systemContracts.ts'
import { toTxReceipt } from './toTxReceipt.ts'
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
 * Validator path: check a block received from the network (decoded from RLP) against this chain's
 * rules, then re-execute it with runBlock on the runtime VM.
 *
 * runBlock's own validation (header via a Blockchain, block.validateData) is replaced by ours,
 * which covers the same ground for this chain: header rules against the parent from the
 * ChainReader ({@link validateHeader}), no uncles or withdrawals, the transactions root (one pass,
 * {@link orderedTrieRoot}), and per tx the static rules and signature ({@link validateTx}).
 * runTx then enforces intrinsic gas, fee cap >= base fee, nonce and balance, and runBlock compares
 * the state root, receipt trie, bloom, gas used and requests hash with the header.
 *
 * The VM's state must be at the parent's state root. On success the state is the block's
 * post-state (not persisted). On error the caller must reset its state to the parent root.
 *
 * @example
 * const executed = await executeBlock(runtime, createBlockFromRLP(rlp, { common }))
 */
export async function executeBlock(runtime: RuntimeVm, block: Block, options: ExecuteBlockOptions = defaultExecuteBlockOptions): Promise<ExecutedBlock> {
  const { vm, common, feeHook, spec } = runtime
  const header = block.header
  const meta = { number: header.number.toString(), hash: bytesToHex(block.hash()) }
  const parent = await runtime.chain.getHeaderByHash(header.parentHash)
  if (parent === undefined) throw new OpenLedgerError(BLOCK_ERROR.UNKNOWN_PARENT, 'parent block is unknown', meta)
  validateHeader(header, parent, await readBlockParams(vm.stateManager, spec, header.number))
  if (block.uncleHeaders.length > 0) throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'blocks may not have uncles', meta)
  if ((block.withdrawals?.length ?? 0) > 0) throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'blocks may not have withdrawals', meta)
  const keccak = common.customCrypto.keccak256 ?? keccak_256
  const txRoot = orderedTrieRoot(block.transactions.map(txEncoding), keccak)
  if (!equalsBytes(txRoot, header.transactionsTrie)) {
    throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'transactions root does not match the transactions', meta)
  }
  for (const [index, tx] of block.transactions.entries()) {
    try {
      validateTx(tx, common, options.txRules)
    } catch (cause) {
      throw new OpenLedgerError(BLOCK_ERROR.INVALID_BODY, 'block contains an invalid transaction', { ...meta, index }, { cause })
    }
  }
  await assertNoRequestContracts(vm)
  let result: RunBlockResult
  try {
    result = await runBlock(vm, { block, skipBlockValidation: true })
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
    const receipt = toTxReceipt(tx, txResult, index, baseFee, logCount, keccak)
    logCount += receipt.logs.length
    receipts.push(receipt)
  }
  return { block, receipts }
}
