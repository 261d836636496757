import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { CustomPrecompile, EVM, InterpreterStep } from '@ethereumjs/evm'
import { Address, bytesToHex, equalsBytes, hexToBytes } from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import type { ChainSpec } from '../../genesis/index.ts'
import { executeBlockTx, replayBlockTxs } from '../block/executeBlockTx.ts'
import type { BlockTx } from '../block/executeBlockTx.ts'
import { createDecodeCommon } from '../chainCommon.ts'
import { OpenLedgerError } from '../errors.ts'
import type { CallChain } from '../ports/callChain.ts'
import type { ChainReader } from '../ports/chainReader.ts'
import { createRuntimeVm, defaultRuntimeVmOptions } from '../vm/createRuntimeVm.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { FlatStateManager } from '../vm/flatStateManager.ts'
import { CALL_ERROR } from './callErrors.ts'
import { CallLanes } from './callLanes.ts'
import { applyStateOverrides, callEnvBlock } from './callMessage.ts'
import { hasZeroFees } from './callPrecheck.ts'
import { CallTracer } from './callTracer.ts'
import { gethHaltDetail, HALT_REASON_NEEDS_OPCODE } from './haltMessage.ts'
import { runCallMessage } from './runCallMessage.ts'
import type { CallMessageRun } from './runCallMessage.ts'
import { simulateBlocks } from './simulateBlocks.ts'
import type { CallFrame, CallOptions, CallRequest, CallResult, SimulatedBlock, SimulateOptions, StateAt } from './types.ts'

/** Options of {@link createCallSimulator}. */
export type CallSimulatorOptions = {
  spec: ChainSpec
  /** the chain's Common (createChainCommon) */
  common: Common
  chain: CallChain
  /** runtime-module precompiles: calls see the same EVM as blocks */
  precompiles: CustomPrecompile[]
  /** VMs over the head state that calls share (more only help calls that wait on the database) */
  headLanes: number
  /**
   * Calls at the head waiting or running at most; beyond it new calls fail at once instead of
   * queueing work that would outlive the request timeout (1,024 x ~0.1-1 ms).
   */
  maxQueuedCalls: number
  /** values and decoded trie nodes the shared head state holds before it is dropped (~200 B each) */
  headCacheLimit: number
}

/** Defaults of {@link CallSimulatorOptions}. */
export const defaultCallSimulatorOptions = {
  precompiles: [] as CustomPrecompile[],
  headLanes: 4,
  maxQueuedCalls: 1024,
  headCacheLimit: 200_000,
} as const

/**
 * Budget of the step probe that finds the opcode behind a "stack underflow" / "invalid opcode"
 * halt: past this many steps, or this many 32-byte memory words copied into step events (16 MiB),
 * the probe gives up and the plain reason stands. A step event costs ~5 us here (measured on the
 * halt test's loop), so the extra work stays near 0.1 s.
 */
const HALT_PROBE_MAX_STEPS = 20_000
const HALT_PROBE_MAX_MEMORY_WORDS = 524_288

/** EIP-7702 delegation designator: 0xef0100 ++ address. */
const DELEGATION_PREFIX = [0xef, 0x01, 0x00]
const DELEGATION_LENGTH = 23

/** Precompile addresses of Prague (0x01 ... 0x11), excluded from generated access lists (geth). */
const PRECOMPILE_COUNT = 0x11

/** Rounds of eth_createAccessList before the last list found is returned (geth loops unbounded; a cap keeps a pathological call finite). */
const ACCESS_LIST_MAX_ROUNDS = 8

type AccessList = { address: Uint8Array; storageKeys: Uint8Array[] }[]

/**
 * Simulated messages (eth_call, estimateGas steps, createAccessList, debug traces) on the runtime
 * VM (createRuntimeVm: the block producer's rules, precompiles, fee hook and SELFDESTRUCT rule).
 *
 * Calls at the head, with or without state and block overrides, run on a small pool of VMs that
 * share one read cache per head root ({@link CallLanes}): nothing is built per call but the tx and
 * (with block overrides) the env block. Calls at other blocks, traces and the halt probe get a
 * VM of their own on a fresh view of that block's state. Nothing a call writes reaches the chain
 * or another call.
 */
export class CallSimulator {
  readonly #opts: CallSimulatorOptions
  readonly #lanes: CallLanes
  /** Common with the tx parameter merge done once (a plain Common costs ~0.3 ms per tx constructed) */
  readonly #txCommon: Common
  readonly #precompileAddresses: Set<string>
  /** env blocks of the head per fee mode (NoBaseFee or not), rebuilt when the head moves */
  #headEnv: { hash: Uint8Array; blocks: Map<boolean, Block> } | undefined

  constructor(options: CallSimulatorOptions) {
    this.#opts = options
    this.#txCommon = createDecodeCommon(options.common)
    this.#lanes = new CallLanes({
      common: options.common,
      createVm: (state) => this.#runtimeOn(state),
      stateNodes: () => options.chain.stateNodes(),
      lanes: options.headLanes,
      maxQueued: options.maxQueuedCalls,
      cacheLimit: options.headCacheLimit,
    })
    this.#precompileAddresses = new Set<string>()
    for (let i = 1; i <= PRECOMPILE_COUNT; i++) this.#precompileAddresses.add('0x' + i.toString(16).padStart(40, '0'))
    for (const p of options.precompiles) this.#precompileAddresses.add(p.address.toString().toLowerCase())
  }

  #runtimeOn(stateManager: FlatStateManager, chain: ChainReader = this.#opts.chain.reader()): Promise<RuntimeVm> {
    const o = this.#opts
    return createRuntimeVm({ ...defaultRuntimeVmOptions, spec: o.spec, common: o.common, chain, precompiles: o.precompiles, stateManager })
  }

  async #block(at: StateAt): Promise<Block> {
    if (typeof at !== 'bigint') return at
    const head = this.#opts.chain.head()
    const block = at === head.header.number ? head : await this.#opts.chain.getBlockByNumber(at)
    if (block === undefined) throw new OpenLedgerError(CALL_ERROR.HEADER_NOT_FOUND, 'header not found', { number: at.toString() })
    return block
  }

  /** A fresh view of `block`'s post-state of its own (nothing written to it reaches the chain). */
  async #privateState(block: Block): Promise<FlatStateManager> {
    const root = block.header.stateRoot
    const state = new FlatStateManager({ common: this.#opts.common, db: this.#opts.chain.stateNodes(), stateRoot: root, cacheLimit: this.#opts.headCacheLimit })
    if (!(await state.hasStateRoot(root))) {
      throw new OpenLedgerError(CALL_ERROR.STATE_UNAVAILABLE, `state ${bytesToHex(root)} of block ${bytesToHex(block.hash())} is not available`, {
        number: block.header.number.toString(),
      })
    }
    return state
  }

  /** A VM of its own on a fresh view of `block`'s post-state (overrides applied outside any checkpoint). */
  async #privateVm(block: Block, opts: CallOptions): Promise<RuntimeVm> {
    const state = await this.#privateState(block)
    await applyStateOverrides(state, opts.stateOverrides)
    return this.#runtimeOn(state)
  }

  /** The env block of a call at `block`: cached per head and fee mode when there are no block overrides. */
  #env(block: Block, req: CallRequest, opts: CallOptions): Block {
    if (opts.blockOverrides !== undefined || block !== this.#opts.chain.head()) return callEnvBlock(this.#opts.common, block, req, opts)
    const hash = block.hash()
    if (this.#headEnv === undefined || !equalsBytes(this.#headEnv.hash, hash)) this.#headEnv = { hash, blocks: new Map() }
    const noFees = hasZeroFees(req)
    let env = this.#headEnv.blocks.get(noFees)
    if (env === undefined) {
      env = callEnvBlock(this.#opts.common, block, req, opts)
      this.#headEnv.blocks.set(noFees, env)
    }
    return env
  }

  /**
   * Run `fn` with a VM at the call's state and its env block: on the shared head lanes (state
   * overrides applied inside the lane's checkpoint) when `at` is the head, else on a private VM.
   */
  async #withVm<T>(req: CallRequest, opts: CallOptions, fn: (runtime: RuntimeVm, env: Block) => Promise<T>): Promise<T> {
    const block = await this.#block(opts.at)
    const env = this.#env(block, req, opts)
    if (block === this.#opts.chain.head()) {
      return this.#lanes.run(block.header.stateRoot, async (lane) => {
        await applyStateOverrides(lane.state, opts.stateOverrides)
        return fn(lane.runtime, env)
      })
    }
    return fn(await this.#privateVm(block, opts), env)
  }

  #run(runtime: RuntimeVm, env: Block, req: CallRequest, gasCap: bigint, extra: { reportAccessList?: boolean } = {}): Promise<CallMessageRun> {
    return runCallMessage(runtime, env, req, { txCommon: this.#txCommon, gasCap, ...extra })
  }

  /**
   * eth_call / one estimateGas step. A stack underflow or invalid opcode in the top frame is named
   * as geth names it (a second, probed run).
   */
  async call(req: CallRequest, opts: CallOptions): Promise<CallResult> {
    const result = await this.#withVm(req, opts, async (runtime, env) => (await this.#run(runtime, env, req, opts.gasCap)).callResult)
    if (result.error === undefined || !HALT_REASON_NEEDS_OPCODE.has(result.error)) return result
    const detail = await this.#haltDetail(req, opts, result.error)
    return detail === undefined ? result : { ...result, error: detail }
  }

  /**
   * geth names the opcode behind a stack underflow or an invalid opcode; ethereumjs does not. Re-run
   * the call once on a private VM with a step probe (within a fixed budget) to find the top frame's
   * last opcode and stack height, and word the halt as geth does.
   */
  async #haltDetail(req: CallRequest, opts: CallOptions, reason: string): Promise<string | undefined> {
    const block = await this.#block(opts.at)
    const runtime = await this.#privateVm(block, opts)
    const vm = runtime.vm
    const env = callEnvBlock(this.#opts.common, block, req, opts)
    const code = await topLevelCode(vm, req)
    let site: { pc: number; stackLength: number } | undefined
    let steps = 0
    let words = 0
    let exhausted = false
    const onStep = (step: InterpreterStep): void => {
      steps++
      words += Number(step.memoryWordCount)
      if (steps > HALT_PROBE_MAX_STEPS || words > HALT_PROBE_MAX_MEMORY_WORDS) {
        exhausted = true
        // aborts the probe run (the private VM is thrown away); #run reports it as a call result
        throw new OpenLedgerError(CALL_ERROR.PROBE_BUDGET, 'halt probe budget exhausted', { steps, words })
      }
      if (step.depth === 0) site = { pc: step.pc, stackLength: step.stack.length }
    }
    const events = (vm.evm as EVM).events
    events.on('step', onStep)
    try {
      await this.#run(runtime, env, req, opts.gasCap)
    } finally {
      events.off('step', onStep)
    }
    if (exhausted || site === undefined) return undefined
    const opcode = code[site.pc]
    return opcode === undefined ? undefined : gethHaltDetail(reason, { opcode, stackLength: site.stackLength })
  }

  /**
   * eth_createAccessList: touched addresses and slots. Like geth, sender, recipient and
   * precompiles are left out unless storage slots of theirs were touched; the search reruns with
   * the list found so far until the list stops changing (a list can change the path a call
   * takes, e.g. through gasleft()), each round on the unchanged state.
   */
  async createAccessList(req: CallRequest, opts: CallOptions): Promise<{ accessList: AccessList; result: CallResult }> {
    const exclude = new Set(this.#precompileAddresses)
    exclude.add(bytesToHex(req.from ?? new Uint8Array(20)))
    if (req.to !== undefined) exclude.add(bytesToHex(req.to))
    let accessList: AccessList = req.accessList?.map((e) => ({ ...e })) ?? []
    let key = accessListKey(accessList)
    for (let round = 0; ; round++) {
      const list = accessList
      const r = await this.#withVm(req, opts, (runtime, env) => this.#run(runtime, env, { ...req, accessList: list }, opts.gasCap, { reportAccessList: true }))
      const found = (r.result?.accessList ?? [])
        .filter((e) => e.storageKeys.length > 0 || !exclude.has(e.address.toLowerCase()))
        .map((e) => ({ address: hexToBytes(e.address as `0x${string}`), storageKeys: e.storageKeys.map((k) => hexToBytes(k as `0x${string}`)) }))
      const foundKey = accessListKey(found)
      accessList = found
      if (foundKey === key || round === ACCESS_LIST_MAX_ROUNDS - 1) break
      key = foundKey
    }
    // gas used when the tx carries the final list (warm accesses, list cost)
    const final = accessList
    const withList = await this.#withVm(req, opts, (runtime, env) => this.#run(runtime, env, { ...req, accessList: final }, opts.gasCap))
    return { accessList, result: withList.callResult }
  }

  /** debug_traceCall with the callTracer (a private VM: the tracer instruments its opcode table). */
  async traceCall(req: CallRequest, opts: CallOptions): Promise<CallFrame> {
    const block = await this.#block(opts.at)
    const runtime = await this.#privateVm(block, opts)
    const tracer = new CallTracer(runtime.vm.evm as EVM)
    const r = await this.#run(runtime, callEnvBlock(this.#opts.common, block, req, opts), req, opts.gasCap)
    const frame = r.tx === undefined ? undefined : tracer.finish(r.tx.gasLimit, r.callResult.gasUsed)
    if (frame === undefined) throw new OpenLedgerError(CALL_ERROR.NOT_EXECUTED, r.callResult.error ?? 'call did not execute', {})
    return frame
  }

  /**
   * eth_simulateV1: blocks built in order on the state of `options.at`, on a VM of their own
   * (see {@link simulateBlocks}); nothing reaches the chain.
   */
  async simulate(options: SimulateOptions): Promise<SimulatedBlock[]> {
    const base = await this.#block(options.at)
    const state = await this.#privateState(base)
    const context = { base, chain: this.#opts.chain.reader(), createVm: (chain: ChainReader) => this.#runtimeOn(state, chain), txCommon: this.#txCommon }
    return simulateBlocks(context, options)
  }

  /**
   * debug_traceTransaction: replay the block's system writes and earlier txs on the parent state
   * through the runtime's block code, then trace the tx. Undefined for genesis or a bad index.
   */
  async traceTransaction(block: Block, index: number): Promise<CallFrame | undefined> {
    if (block.header.number === 0n || block.transactions[index] === undefined) return undefined
    const parent = await this.#opts.chain.reader().getHeaderByHash(block.header.parentHash)
    if (parent === undefined) throw new OpenLedgerError(CALL_ERROR.HEADER_NOT_FOUND, 'header not found', { number: (block.header.number - 1n).toString() })
    const state = new FlatStateManager({
      common: this.#opts.common,
      db: this.#opts.chain.stateNodes(),
      stateRoot: parent.stateRoot,
      cacheLimit: this.#opts.headCacheLimit,
    })
    const runtime = await this.#runtimeOn(state)
    const position = await replayBlockTxs(runtime, block, index)
    const tx = block.transactions[index]!
    const tracer = new CallTracer(runtime.vm.evm as EVM, position.logCount)
    // the traced tx runs as the block ran it: a deposit through the deposit rules, a signed tx through runTx
    const r = await executeBlockTx(runtime, block, tx as BlockTx, position.blockGasUsed)
    return tracer.finish(tx.gasLimit, r.totalGasSpent)
  }
}

/**
 * Create the call simulator of a chain.
 *
 * @example
 * const calls = createCallSimulator({ ...defaultCallSimulatorOptions, spec, common, chain })
 * const { returnData } = await calls.call({ to, data }, { at: chain.head().header.number, gasCap: 50_000_000n })
 */
export function createCallSimulator(options: Partial<CallSimulatorOptions> & Pick<CallSimulatorOptions, 'spec' | 'common' | 'chain'>): CallSimulator {
  return new CallSimulator({ ...defaultCallSimulatorOptions, ...options })
}

/** The code the top frame runs: the init code of a creation, else the callee's (through an EIP-7702 delegation). */
async function topLevelCode(vm: VM, req: CallRequest): Promise<Uint8Array> {
  if (req.to === undefined) return req.data ?? new Uint8Array(0)
  const code = await vm.stateManager.getCode(new Address(req.to))
  if (code.length === DELEGATION_LENGTH && DELEGATION_PREFIX.every((b, i) => code[i] === b)) {
    return vm.stateManager.getCode(new Address(code.subarray(DELEGATION_PREFIX.length)))
  }
  return code
}

/** Order-independent identity of an access list (addresses and slots sorted), for the fixpoint test. */
function accessListKey(list: AccessList): string {
  return list
    .map(
      (e) =>
        bytesToHex(e.address) +
        ':' +
        e.storageKeys
          .map((k) => bytesToHex(k))
          .sort()
          .join(','),
    )
    .sort()
    .join(';')
}
