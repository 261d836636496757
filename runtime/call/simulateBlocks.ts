import { Block, createBlock, createBlockHeader } from '@ethereumjs/block'
import type { BlockHeader, HeaderData } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { EVM } from '@ethereumjs/evm'
import { RLP } from '@ethereumjs/rlp'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Account, KECCAK256_RLP, createWithdrawal } from '@ethereumjs/util'
import type { Withdrawal } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { RunTxResult } from '@ethereumjs/vm'
import { encodeTxReceipt } from '../block/encodeTxReceipt.ts'
import { orderedTrieRoot } from '../block/orderedTrieRoot.ts'
import { applyPreBlockSystemWrites } from '../block/systemContracts.ts'
import { chainParams } from '../chainCommon.ts'
import { OpenLedgerError } from '../errors.ts'
import { calcNextBaseFee } from '../fees/calcNextBaseFee.ts'
import { readBlockParams } from '../modules/chainParams/blockParams.ts'
import { emptyRequestsHash } from '../genesis/createGenesis.ts'
import type { ChainReader } from '../ports/chainReader.ts'
import { txEncoding } from '../tx/txCache.ts'
import type { TxLog } from '../types.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { CALL_ERROR } from './callErrors.ts'
import { applyStateOverrides } from './callMessage.ts'
import { hasZeroFees } from './callPrecheck.ts'
import { wrapOpcodes } from './opcodeHooks.ts'
import { planSimulatedBlocks } from './planSimulatedBlocks.ts'
import type { PlannedBlock } from './planSimulatedBlocks.ts'
import { runCallMessage } from './runCallMessage.ts'
import { SimulatedChainReader } from './simulatedChainReader.ts'
import { TransferLogTracer } from './transferLogTracer.ts'
import type { CallRequest, SimulatedBlock, SimulatedCall, SimulateOptions } from './types.ts'

/** What {@link simulateBlocks} runs on. */
export type SimulateContext = {
  /** the base block: the first simulated block's parent */
  base: Block
  /** the real chain's headers (BLOCKHASH below the base block) */
  chain: ChainReader
  /** a runtime VM (createRuntimeVm) on a private copy of the base block's post-state, reading headers from `chain` */
  createVm: (chain: ChainReader) => Promise<RuntimeVm>
  /** Common the call txs are built with (createDecodeCommon) */
  txCommon: Common
}

const BASEFEE = 0x48
const GWEI = 1_000_000_000n

/** geth appends this to a halt of a call whose gas the request-wide gas cap lowered. */
const GAS_CAPPED_NOTE = " (gas limit was capped by the RPC server's global gas cap)"

/**
 * eth_simulateV1 (geth internal/ethapi/simulate.go): build blocks on top of `context.base`, in
 * order, each on the state the previous one left, and return each as built with its calls'
 * outcomes. Numbers, times and gaps are settled by {@link planSimulatedBlocks}. Each block takes
 * its parent's gas limit and fee recipient unless overridden; its base fee is the parent's next
 * base fee (calcNextBaseFee) with `validation`, else 0 (geth's NoBaseFee), unless overridden. Per
 * block: its state overrides, the system writes a real block makes, then each call through the
 * shared message code (runCallMessage: buildCallTx, callPrecheck, runTx) with geth's defaults
 * (sender: the zero address; nonce: the sender's; gas: what the block has left, within what the
 * request's gas cap has left), then withdrawals, and the roots, bloom and hash computed as
 * buildLinearBlock computes them. A message that cannot be a tx of its block fails the whole
 * request with a coded error (CALL_ERROR_*, in geth's words); a revert or halt is the call's result.
 *
 * @example
 * const blocks = await simulateBlocks({ base: head, chain: reader, createVm, txCommon }, { at: head, blocks: [{ calls: [{ to, data }] }], validation: false, traceTransfers: false, gasCap: 50_000_000n })
 */
export async function simulateBlocks(context: SimulateContext, options: SimulateOptions): Promise<SimulatedBlock[]> {
  const planned = planSimulatedBlocks(context.base.header, options.blocks)
  const reader = new SimulatedChainReader(context.chain, context.base.header)
  const simulator = new BlockSimulator(await context.createVm(reader), context.txCommon, options)
  try {
    const out: SimulatedBlock[] = []
    let parent = context.base.header
    for (const block of planned) {
      const simulated = await simulator.block(parent, block)
      parent = simulated.block.header
      reader.add(parent)
      out.push(simulated)
    }
    return out
  } finally {
    simulator.close()
  }
}

/** One block being built: its env and what its calls have produced so far. */
type OpenBlock = {
  header: HeaderData & { gasLimit: bigint; baseFeePerGas: bigint }
  env: Block
  /** the env of calls that name no fee without validation (geth's NoBaseFee), made when first needed */
  freeEnv: Block | undefined
  txs: TypedTransaction[]
  receipts: Uint8Array[]
  bloom: Bloom
  /** header gasUsed (sum of blockGasSpent) */
  gasUsed: bigint
  /** receipts' cumulative gas (sum of totalGasSpent) */
  receiptGasUsed: bigint
  logCount: number
  calls: SimulatedCall[]
}

/** The state of one eth_simulateV1 request across its blocks: the VM, the gas left, the tracers. */
class BlockSimulator {
  readonly #runtime: RuntimeVm
  readonly #txCommon: Common
  readonly #options: SimulateOptions
  readonly #blockOpts: { common: Common; params: ReturnType<typeof chainParams>; skipConsensusFormatValidation: true }
  /** gas all later calls may still use (undefined: no cap) */
  #budget: bigint | undefined
  readonly #tracer: TransferLogTracer | undefined
  readonly #restore: () => void
  /** the base fee BASEFEE reports: the block's, also in the fee-free env of geth's NoBaseFee */
  #baseFee = 0n

  constructor(runtime: RuntimeVm, txCommon: Common, options: SimulateOptions) {
    this.#runtime = runtime
    this.#txCommon = txCommon
    this.#options = options
    this.#blockOpts = { common: runtime.common, params: chainParams(runtime.spec), skipConsensusFormatValidation: true }
    this.#budget = options.gasCap === 0n ? undefined : options.gasCap
    const evm = runtime.vm.evm as EVM
    this.#tracer = options.traceTransfers ? new TransferLogTracer(evm) : undefined
    // without validation a call naming no fee runs in an env with base fee 0 (runTx would refuse
    // it otherwise) while BASEFEE still reads the block's, as in geth's EVM with NoBaseFee
    const baseFeeHook = new Map([[BASEFEE, () => (runState: { stack: { push(v: bigint): void } }) => runState.stack.push(this.#baseFee)]])
    this.#restore = options.validation ? () => {} : wrapOpcodes(evm, baseFeeHook)
  }

  close(): void {
    this.#tracer?.finish()
    this.#restore()
  }

  /** Build the block `planned` on `parent`, on the state its parent left. */
  async block(parent: BlockHeader, planned: PlannedBlock): Promise<SimulatedBlock> {
    const { vm, common } = this.#runtime
    const o = planned.blockOverrides ?? {}
    const params = this.#options.validation && o.baseFee === undefined ? await readBlockParams(vm.stateManager, this.#runtime.spec, planned.number) : undefined
    const baseFeePerGas = o.baseFee ?? (params !== undefined ? calcNextBaseFee(parent, params.baseFee) : 0n)
    const header = {
      parentHash: parent.hash(),
      number: planned.number,
      timestamp: planned.time,
      // geth: gas limit and fee recipient carry over from the previous block
      gasLimit: o.gasLimit ?? parent.gasLimit,
      coinbase: o.coinbase ?? parent.coinbase.bytes,
      baseFeePerGas,
      mixHash: o.random ?? new Uint8Array(32),
      extraData: new Uint8Array(0),
      difficulty: 0n,
      nonce: new Uint8Array(8),
      withdrawalsRoot: KECCAK256_RLP,
      blobGasUsed: 0n,
      excessBlobGas: 0n,
      parentBeaconBlockRoot: o.beaconRoot ?? new Uint8Array(32),
      requestsHash: emptyRequestsHash(common),
    }
    this.#baseFee = baseFeePerGas
    const open: OpenBlock = {
      header,
      env: createBlock({ header }, this.#blockOpts),
      freeEnv: undefined,
      txs: [],
      receipts: [],
      bloom: new Bloom(undefined, common),
      gasUsed: 0n,
      receiptGasUsed: 0n,
      logCount: 0,
      calls: [],
    }
    await applyStateOverrides(vm.stateManager, planned.stateOverrides)
    await applyPreBlockSystemWrites(vm, open.env.header)
    for (const req of planned.calls) await this.#call(open, req)
    const withdrawals = (o.withdrawals ?? []).map((w) => createWithdrawal(w))
    await this.#credit(withdrawals)
    const keccak = common.customCrypto.keccak256
    const sealed = createBlockHeader(
      {
        ...header,
        stateRoot: await vm.stateManager.getStateRoot(),
        transactionsTrie: orderedTrieRoot(open.txs.map(txEncoding), keccak),
        receiptTrie: orderedTrieRoot(open.receipts, keccak),
        withdrawalsRoot: orderedTrieRoot(
          withdrawals.map((w) => RLP.encode(w.raw())),
          keccak,
        ),
        logsBloom: open.bloom.bitvector,
        gasUsed: open.gasUsed,
      },
      this.#blockOpts,
    )
    // the Block constructor keeps the call txs as they are (unsigned, with their sender and hash)
    return { block: new Block(sealed, open.txs, [], withdrawals, this.#blockOpts), calls: open.calls }
  }

  /** Run one call of `open` with geth's simulate defaults; a message its block cannot carry fails the request. */
  async #call(open: OpenBlock, req: CallRequest): Promise<void> {
    const remaining = open.header.gasLimit - open.gasUsed
    const wanted = req.gas ?? remaining
    if (wanted > remaining) {
      throw new OpenLedgerError(CALL_ERROR.BLOCK_GAS_LIMIT, `block gas limit reached: remaining: ${remaining}, required: ${wanted}`, {})
    }
    const gas = this.#budget !== undefined && this.#budget < wanted ? this.#budget : wanted
    const validation = this.#options.validation
    const env = !validation && hasZeroFees(req) && open.header.baseFeePerGas > 0n ? this.#freeEnv(open) : open.env
    this.#tracer?.start()
    const run = await runCallMessage(
      this.#runtime,
      env,
      { ...req, gas },
      {
        txCommon: this.#txCommon,
        gasCap: gas,
        simulate: { validation },
        blockGasUsed: open.receiptGasUsed,
      },
    )
    const { tx, result } = run
    if (run.rejection !== undefined || tx === undefined || result === undefined) {
      // geth wraps a message's refusal as "err: <reason> (supplied gas N)"
      const reason = run.rejection ?? { code: CALL_ERROR.INVALID_MESSAGE, message: run.callResult.error ?? 'invalid message' }
      throw new OpenLedgerError(reason.code, `err: ${reason.message} (supplied gas ${gas})`, { index: open.txs.length })
    }
    open.gasUsed += result.blockGasSpent
    open.receiptGasUsed += result.totalGasSpent
    if (this.#budget !== undefined) this.#budget -= result.totalGasSpent
    open.bloom.or(result.bloom)
    open.receipts.push(encodeTxReceipt(result.receipt, tx.type))
    open.txs.push(tx)
    const error = run.callResult.error
    const logs = error !== undefined ? [] : (this.#tracer?.logs() ?? receiptLogs(result))
    const call: SimulatedCall = {
      status: error === undefined ? 1 : 0,
      returnData: run.callResult.returnData,
      gasUsed: result.totalGasSpent,
      maxUsedGas: maxUsedGas(tx, result),
      logs: logs.map((l): TxLog => ({ ...l, logIndex: open.logCount++ })),
    }
    if (error !== undefined) call.error = error === 'revert' || gas === wanted ? error : error + GAS_CAPPED_NOTE
    open.calls.push(call)
  }

  #freeEnv(open: OpenBlock): Block {
    open.freeEnv ??= createBlock({ header: { ...open.header, baseFeePerGas: 0n } }, this.#blockOpts)
    return open.freeEnv
  }

  /** Credit withdrawals (Gwei) after the block's calls, as the beacon chain's block finalisation does. */
  async #credit(withdrawals: Withdrawal[]): Promise<void> {
    const sm = this.#runtime.vm.stateManager
    for (const w of withdrawals) {
      if (w.amount === 0n) continue
      const account = (await sm.getAccount(w.address)) ?? new Account()
      account.balance += w.amount * GWEI
      await sm.putAccount(w.address, account)
    }
  }
}

/** A successful message's logs as its receipt holds them. */
function receiptLogs(result: RunTxResult): { address: Uint8Array; topics: Uint8Array[]; data: Uint8Array }[] {
  return result.receipt.logs.map(([address, topics, data]) => ({ address, topics, data }))
}

/** Gas used before refunds, at least the calldata floor (geth's peak gas: maxUsedGas). */
function maxUsedGas(tx: TypedTransaction, result: RunTxResult): bigint {
  const beforeRefund = result.execResult.executionGasUsed + tx.getIntrinsicGas()
  return beforeRefund > result.totalGasSpent ? beforeRefund : result.totalGasSpent
}
