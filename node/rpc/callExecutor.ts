import type { Block } from '@ethereumjs/block'
import { createBlock } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { CustomPrecompile, EVM, InterpreterStep } from '@ethereumjs/evm'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { Caches, MerkleStateManager } from '@ethereumjs/statemanager'
import { createTx } from '@ethereumjs/tx'
import type { TypedTransaction, TypedTxData } from '@ethereumjs/tx'
import { Account, Address, ValueEncoding, createAddressFromString } from '@ethereumjs/util'
import { createVM, runTx } from '@ethereumjs/vm'
import type { RunTxResult, VM } from '@ethereumjs/vm'
import { applyPreBlockSystemWrites, installFeeHook } from '../../runtime/index.ts'
import type { CallFrame, CallOptions, CallRequest, CallResult, StateAt, StateOverride } from '../../rpc/index.ts'
import { RPC_ERROR, RpcError, toHex } from '../../rpc/index.ts'
import type { Chain } from '../chain/index.ts'
import { createDecodeCommon } from '../txpool/index.ts'
import { callPrecheck, hasZeroFees } from './callPrecheck.ts'
import { CallTracer } from './callTracer.ts'
import { gethHaltDetail, gethHaltMessage, HALT_REASON_NEEDS_OPCODE } from './haltMessage.ts'
import { ReadMemo } from './memoDb.ts'
import { stateAt } from './stateOfBlock.ts'

/**
 * Most plain head calls waiting for the shared VM; beyond it new calls answer -32005 at once
 * instead of queueing work that would outlive the request timeout (1,024 x ~1 ms).
 */
const MAX_QUEUED_CALLS = 1024

/** Entries of the shared trie-node / code read memo (~100 B-1 kB each). */
const READ_MEMO_ENTRIES = 200_000

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

/**
 * Runs simulated txs (eth_call, estimateGas, createAccessList, debug traces) on private copies of
 * archive state: every call gets its own state manager from chain.stateAt, so nothing leaks
 * into the chain or between calls.
 */
export class CallExecutor {
  private readonly chain: Chain
  private readonly precompiles: CustomPrecompile[]
  private readonly precompileAddresses: Set<string>
  /** reusable VM over the head state for plain calls (no overrides), replaced when the head moves */
  private headVm: { number: bigint; vm: Promise<VM>; env: Map<boolean, Block> } | undefined
  /** plain head calls share one VM, so they run one at a time (each inside a checkpoint that is reverted) */
  private lock: Promise<void> = Promise.resolve()
  private queued = 0
  private readonly memo = new ReadMemo(READ_MEMO_ENTRIES)
  /** Common with the tx parameter merge done once (a plain Common costs ~0.3 ms per tx constructed) */
  private readonly txCommon: Common

  constructor(chain: Chain, precompiles: CustomPrecompile[]) {
    this.chain = chain
    this.precompiles = precompiles
    this.txCommon = createDecodeCommon(chain.common)
    this.precompileAddresses = new Set<string>()
    for (let i = 1; i <= PRECOMPILE_COUNT; i++) this.precompileAddresses.add('0x' + i.toString(16).padStart(40, '0'))
    for (const p of precompiles) this.precompileAddresses.add(p.address.toString().toLowerCase())
  }

  private async vmAt(stateManager: MerkleStateManager): Promise<VM> {
    const chain = this.chain
    const blockchain = {
      async getBlock(blockId: number) {
        const block = await chain.getBlockByNumber(BigInt(blockId))
        const hash = block?.hash() ?? new Uint8Array(32)
        return { hash: () => hash }
      },
      async putBlock() {},
      shallowCopy() {
        return blockchain
      },
    }
    return createVM({ common: this.chain.common, stateManager, blockchain, evmOpts: { customPrecompiles: this.precompiles } })
  }

  private async header(at: StateAt): Promise<Block> {
    if (typeof at !== 'bigint') return at
    const number = at
    const head = this.chain.head()
    const block = number === head.header.number ? head : await this.chain.getBlockByNumber(number)
    if (block === undefined) throw new RpcError(RPC_ERROR.NOT_FOUND, 'header not found')
    return block
  }

  private async applyOverrides(sm: MerkleStateManager, overrides: Map<string, StateOverride> | undefined): Promise<void> {
    if (overrides === undefined) return
    for (const [hex, ov] of overrides) {
      const address = createAddressFromString(hex)
      const account = (await sm.getAccount(address)) ?? new Account()
      if (ov.balance !== undefined) account.balance = ov.balance
      if (ov.nonce !== undefined) account.nonce = ov.nonce
      await sm.putAccount(address, account)
      if (ov.code !== undefined) await sm.putCode(address, ov.code)
      if (ov.state !== undefined) {
        await sm.clearStorage(address)
        for (const [slot, value] of ov.state) await sm.putStorage(address, slot, value)
      }
      if (ov.stateDiff !== undefined) for (const [slot, value] of ov.stateDiff) await sm.putStorage(address, slot, value)
    }
  }

  /** The env block of a call: the header at `number` with block overrides; base fee 0 when the call names no (or zero) fees (geth's NoBaseFee). */
  private envBlock(base: Block, req: CallRequest, opts: CallOptions): Block {
    const h = base.header
    const o = opts.blockOverrides ?? {}
    const noFees = hasZeroFees(req)
    return createBlock(
      {
        header: {
          ...h.toJSON(),
          number: o.number ?? h.number,
          timestamp: o.time ?? h.timestamp,
          gasLimit: o.gasLimit ?? h.gasLimit,
          coinbase: o.coinbase ?? h.coinbase.bytes,
          mixHash: o.random ?? h.mixHash,
          baseFeePerGas: noFees ? 0n : (o.baseFee ?? h.baseFeePerGas),
        },
      },
      { common: this.chain.common, skipConsensusFormatValidation: true },
    )
  }

  private buildTx(req: CallRequest, gasLimit: bigint, nonce: bigint): TypedTransaction {
    const accessList = req.accessList?.map((e) => [e.address, e.storageKeys] as [Uint8Array, Uint8Array[]])
    const data: TypedTxData = {
      nonce,
      gasLimit,
      to: req.to,
      value: req.value ?? 0n,
      data: req.data ?? new Uint8Array(0),
    }
    if (req.gasPrice !== undefined) Object.assign(data, { type: accessList === undefined ? 0 : 1, gasPrice: req.gasPrice, accessList })
    else {
      const feeCap = req.maxFeePerGas ?? req.maxPriorityFeePerGas ?? 0n
      const tip = req.maxPriorityFeePerGas ?? 0n
      Object.assign(data, {
        type: 2,
        maxFeePerGas: feeCap,
        // a tip above the fee cap is reported by the precheck in geth's words; the tx object must still build
        maxPriorityFeePerGas: tip > feeCap ? feeCap : tip,
        accessList: accessList ?? [],
      })
    }
    const tx = createTx(data, { common: this.txCommon, freeze: false })
    const from = new Address(req.from ?? new Uint8Array(20))
    // an unsigned message: the sender is whoever the request names (as ethereumjs' own client does)
    tx.getSenderAddress = () => from
    return tx
  }

  private async run(vm: VM, block: Block, req: CallRequest, gasCap: bigint, extra: { reportAccessList?: boolean } = {}) {
    const from = new Address(req.from ?? new Uint8Array(20))
    const account = await vm.stateManager.getAccount(from)
    const nonce = req.nonce ?? account?.nonce ?? 0n
    let gas = req.gas ?? gasCap
    if (gas > gasCap) gas = gasCap
    const tx = this.buildTx(req, gas, nonce)
    // the checks geth's state transition makes first, with geth's wording (clients match on it)
    const precheck = callPrecheck({ tx, req, baseFee: block.header.baseFeePerGas ?? 0n, balance: account?.balance ?? 0n })
    if (precheck !== undefined) {
      return { tx, result: undefined, callResult: { returnData: new Uint8Array(0), gasUsed: 0n, error: precheck } satisfies CallResult }
    }
    let result: RunTxResult
    try {
      result = await runTx(vm, {
        tx,
        block,
        skipNonce: true,
        // the precheck enforced geth's balance rule; ethereumjs must not top the sender up
        skipBalance: false,
        skipBlockGasLimitValidation: true,
        skipHardForkValidation: true,
        ...extra,
      })
    } catch (err) {
      // any other validation failure is a call result, not a crash; keep ethereumjs' reason, drop its context dump
      const message = err instanceof Error ? err.message : 'invalid call'
      const cut = message.indexOf(' (vm hf=')
      return {
        tx,
        result: undefined,
        callResult: { returnData: new Uint8Array(0), gasUsed: 0n, error: cut === -1 ? message : message.slice(0, cut) } satisfies CallResult,
      }
    }
    const ex = result.execResult
    const callResult: CallResult = { returnData: ex.returnValue, gasUsed: result.totalGasSpent }
    if (ex.exceptionError !== undefined) callResult.error = gethHaltMessage(ex.exceptionError.error)
    return { tx, result, callResult }
  }

  private async prepare(opts: CallOptions, req: CallRequest): Promise<{ vm: VM; block: Block }> {
    const base = await this.header(opts.at)
    const sm = await stateAt(this.chain, opts.at)
    await this.applyOverrides(sm, opts.stateOverrides)
    const vm = await this.vmAt(sm)
    return { vm, block: this.envBlock(base, req, opts) }
  }

  /**
   * A state manager at `number` whose trie reads go through the shared read memo, so the state
   * caches that each call's checkpoint revert drops are refilled from memory, not LevelDB.
   */
  private async memoState(number: bigint): Promise<MerkleStateManager> {
    const base = await this.chain.stateAt(number)
    const block = await this.header(number)
    // the archive view's node store (MerkleStateManager keeps its trie protected)
    const inner = (base as unknown as { _trie: MerklePatriciaTrie })._trie.database().db
    const trie = new MerklePatriciaTrie({
      db: this.memo.wrap(inner),
      useKeyHashing: true,
      valueEncoding: ValueEncoding.Bytes,
      common: this.chain.common,
      root: block.header.stateRoot,
    })
    return new MerkleStateManager({ trie, common: this.chain.common, caches: new Caches() })
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    if (this.queued >= MAX_QUEUED_CALLS) {
      return Promise.reject(new RpcError(RPC_ERROR.LIMIT_EXCEEDED, `too many simulated calls in flight: limit ${MAX_QUEUED_CALLS}`))
    }
    this.queued++
    const task = async (): Promise<T> => {
      try {
        return await fn()
      } finally {
        this.queued--
      }
    }
    const run = this.lock.then(task, task)
    this.lock = run.then(
      () => undefined,
      () => undefined,
    )
    return run
  }

  /** The shared head VM and the env block for this fee mode (both cached per head). */
  private async headContext(number: bigint, req: CallRequest, opts: CallOptions): Promise<{ vm: VM; block: Block }> {
    if (this.headVm === undefined) {
      const vm = this.memoState(number).then((sm) => this.vmAt(sm))
      this.headVm = { number, vm, env: new Map() }
      vm.catch(() => {
        if (this.headVm?.vm === vm) this.headVm = undefined
      })
    } else if (this.headVm.number !== number) {
      // new head: move the same VM to the new state root (runs under the call lock, so no call is in flight)
      const header = (await this.header(number)).header
      const vm = await this.headVm.vm
      await vm.stateManager.setStateRoot(header.stateRoot, true)
      this.headVm = { number, vm: Promise.resolve(vm), env: new Map() }
    }
    const ctx = this.headVm
    const noFees = hasZeroFees(req)
    let block = ctx.env.get(noFees)
    if (block === undefined) {
      block = this.envBlock(await this.header(number), req, opts)
      ctx.env.set(noFees, block)
    }
    return { vm: await ctx.vm, block }
  }

  /**
   * eth_call / estimateGas step. Calls at the head without overrides (the common case, and every
   * binary-search step of estimateGas) reuse one VM whose state caches stay warm: each runs inside
   * a state checkpoint that is reverted afterwards.
   */
  async call(req: CallRequest, opts: CallOptions): Promise<CallResult> {
    const result = await this.callOnce(req, opts)
    if (result.error === undefined || !HALT_REASON_NEEDS_OPCODE.has(result.error)) return result
    const detail = await this.haltDetail(req, opts, result.error)
    return detail === undefined ? result : { ...result, error: detail }
  }

  private async callOnce(req: CallRequest, opts: CallOptions): Promise<CallResult> {
    const at = opts.at
    if (opts.stateOverrides === undefined && opts.blockOverrides === undefined && at === this.chain.head().header.number) {
      return this.serial(async () => {
        const { vm, block } = await this.headContext(at, req, opts)
        await vm.stateManager.checkpoint()
        try {
          return (await this.run(vm, block, req, opts.gasCap)).callResult
        } finally {
          await vm.stateManager.revert()
        }
      })
    }
    const { vm, block } = await this.prepare(opts, req)
    return (await this.run(vm, block, req, opts.gasCap)).callResult
  }

  /**
   * geth names the opcode behind a stack underflow or an invalid opcode; ethereumjs does not. Re-run
   * the call once on a fresh VM with a step probe (within a fixed budget) to find the top frame's
   * last opcode and stack height, and word the halt as geth does.
   */
  private async haltDetail(req: CallRequest, opts: CallOptions, reason: string): Promise<string | undefined> {
    const { vm, block } = await this.prepare(opts, req)
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
        // aborts the probe run (the fresh VM is thrown away); run() reports it as a call result
        throw new RpcError(RPC_ERROR.LIMIT_EXCEEDED, 'halt probe budget exhausted')
      }
      if (step.depth === 0) site = { pc: step.pc, stackLength: step.stack.length }
    }
    const events = (vm.evm as EVM).events
    events.on('step', onStep)
    try {
      await this.run(vm, block, req, opts.gasCap)
    } finally {
      events.off('step', onStep)
    }
    if (exhausted || site === undefined) return undefined
    const opcode = code[site.pc]
    return opcode === undefined ? undefined : gethHaltDetail(reason, { opcode, stackLength: site.stackLength })
  }

  /**
   * eth_createAccessList: touched addresses and slots. Like geth, sender, recipient and
   * precompiles are left out unless storage slots of theirs were touched.
   */
  async createAccessList(req: CallRequest, opts: CallOptions) {
    const exclude = new Set(this.precompileAddresses)
    exclude.add(toHex(req.from ?? new Uint8Array(20)))
    if (req.to !== undefined) exclude.add(toHex(req.to))
    // Like geth: run with the list found so far until the list stops changing (a list can change
    // the path a call takes, e.g. through gasleft()); each round starts from a fresh state copy.
    let accessList: { address: Uint8Array; storageKeys: Uint8Array[] }[] = req.accessList?.map((e) => ({ ...e })) ?? []
    let key = accessListKey(accessList)
    for (let round = 0; ; round++) {
      const { vm, block } = await this.prepare(opts, req)
      const r = await this.run(vm, block, { ...req, accessList }, opts.gasCap, { reportAccessList: true })
      const found = (r.result?.accessList ?? [])
        .filter((e) => e.storageKeys.length > 0 || !exclude.has(e.address.toLowerCase()))
        .map((e) => ({ address: hexBytes(e.address), storageKeys: e.storageKeys.map(hexBytes) }))
      const foundKey = accessListKey(found)
      if (foundKey === key || round === ACCESS_LIST_MAX_ROUNDS - 1) {
        accessList = found
        break
      }
      accessList = found
      key = foundKey
    }
    // gas used when the tx carries the final list (warm accesses, list cost)
    const { vm, block } = await this.prepare(opts, req)
    const withList = await this.run(vm, block, { ...req, accessList }, opts.gasCap)
    return { accessList, result: withList.callResult }
  }

  /** debug_traceCall with the callTracer. */
  async traceCall(req: CallRequest, opts: CallOptions): Promise<CallFrame> {
    const { vm, block } = await this.prepare(opts, req)
    const tracer = new CallTracer(vm.evm as EVM)
    const r = await this.run(vm, block, req, opts.gasCap)
    const frame = tracer.finish(r.tx.gasLimit, r.callResult.gasUsed)
    if (frame === undefined) throw new RpcError(RPC_ERROR.INVALID_INPUT, r.callResult.error ?? 'call did not execute')
    return frame
  }

  /** debug_traceTransaction: replay the block's earlier txs on the parent state, then trace the tx. */
  async traceTransaction(block: Block, index: number, feeRecipient: string): Promise<CallFrame | undefined> {
    if (block.header.number === 0n) return undefined
    const sm = await this.chain.stateAt(block.header.number - 1n)
    const vm = await this.vmAt(sm)
    installFeeHook(vm, createAddressFromString(feeRecipient))
    await applyPreBlockSystemWrites(vm, block.header)
    let blockGasUsed = 0n
    let logsBefore = 0
    for (let i = 0; i < index; i++) {
      const r = await runTx(vm, { tx: block.transactions[i]!, block, blockGasUsed, skipHardForkValidation: true })
      blockGasUsed += r.totalGasSpent
      logsBefore += r.receipt.logs.length
    }
    const tx = block.transactions[index]
    if (tx === undefined) return undefined
    const tracer = new CallTracer(vm.evm as EVM, logsBefore)
    const r = await runTx(vm, { tx, block, blockGasUsed, skipHardForkValidation: true })
    return tracer.finish(tx.gasLimit, r.totalGasSpent)
  }
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

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'))
}

/** Rounds of eth_createAccessList before the last list found is returned (geth loops unbounded; a cap keeps a pathological call finite). */
const ACCESS_LIST_MAX_ROUNDS = 8

/** Order-independent identity of an access list (addresses and slots sorted), for the fixpoint test. */
function accessListKey(list: { address: Uint8Array; storageKeys: Uint8Array[] }[]): string {
  return list
    .map((e) => toHex(e.address) + ':' + e.storageKeys.map(toHex).sort().join(','))
    .sort()
    .join(';')
}
