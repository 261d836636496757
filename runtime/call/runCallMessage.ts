import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Address } from '@ethereumjs/util'
import { runTx } from '@ethereumjs/vm'
import type { RunTxResult } from '@ethereumjs/vm'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import { CALL_ERROR } from './callErrors.ts'
import { buildCallTx } from './callMessage.ts'
import { callPrecheck, messagePrecheck } from './callPrecheck.ts'
import type { CallRejection } from './callPrecheck.ts'
import { gethHaltMessage } from './haltMessage.ts'
import type { CallRequest, CallResult } from './types.ts'

/** Options of {@link runCallMessage}. */
export type CallMessageOptions = {
  /** Common the tx object is built with (createDecodeCommon: the parameter merge done once) */
  txCommon: Common
  /** the most gas the message may use; its gas when the request names none */
  gasCap: bigint
  /**
   * eth_simulateV1: the tx carries the request's nonce (default: the sender's state nonce), and
   * the pre-checks run with geth's simulate flags (nonce checked, fees checked even when zero)
   * when `validation` is set. eth_call and friends leave it out: the request's nonce is ignored.
   */
  simulate?: { validation: boolean }
  /** gas the block's earlier txs used (the receipt's cumulative gas) */
  blockGasUsed?: bigint
  /** ask runTx for the access list the message touched */
  reportAccessList?: boolean
}

/**
 * One simulated message and what became of it: the tx that carried it (undefined when none could
 * be built), runTx's result (undefined when it did not execute), the call result, and the
 * refusal when the message was refused before executing (its message is `callResult.error`).
 */
export type CallMessageRun = {
  tx: TypedTransaction | undefined
  result: RunTxResult | undefined
  callResult: CallResult
  rejection?: CallRejection
}

/**
 * Run one simulated message on a runtime VM in the env block `env`: build the unsigned tx that
 * carries it (buildCallTx), apply geth's pre-checks in geth's words (callPrecheck), then runTx
 * without its own nonce and balance top-up shortcuts. Every outcome is a result: a refusal, a
 * throw of runTx or of the tx constructor, a revert or a halt (STYLE §4). The message's state
 * changes stay in the VM's state (the caller decides whether to keep them).
 *
 * @example
 * const { callResult } = await runCallMessage(runtime, env, { to, data }, { txCommon, gasCap: 50_000_000n })
 */
export async function runCallMessage(runtime: RuntimeVm, env: Block, req: CallRequest, options: CallMessageOptions): Promise<CallMessageRun> {
  const vm = runtime.vm
  const refused = (rejection: CallRejection, tx?: TypedTransaction): CallMessageRun => ({
    tx,
    result: undefined,
    callResult: { returnData: new Uint8Array(0), gasUsed: 0n, error: rejection.message },
    rejection,
  })
  const from = new Address(req.from ?? new Uint8Array(20))
  const account = await vm.stateManager.getAccount(from)
  const stateNonce = account?.nonce ?? 0n
  let gas = req.gas ?? options.gasCap
  if (gas > options.gasCap) gas = options.gasCap
  const shape = messagePrecheck(req, gas)
  if (shape !== undefined) return refused(shape)
  const simulate = options.simulate
  let tx: TypedTransaction
  try {
    tx = buildCallTx(options.txCommon, req, gas, simulate === undefined ? stateNonce : (req.nonce ?? stateNonce))
  } catch (err) {
    // a message no tx object can carry (e.g. a field past its bound) is the call's failure
    return refused({ code: CALL_ERROR.INVALID_MESSAGE, message: stripContext(err) })
  }
  // the checks geth's state transition makes first, with geth's wording (clients match on it)
  const precheck = callPrecheck({
    tx,
    req,
    baseFee: env.header.baseFeePerGas ?? 0n,
    balance: account?.balance ?? 0n,
    ...(simulate?.validation === true ? { stateNonce, noBaseFee: false } : {}),
  })
  if (precheck !== undefined) return refused(precheck, tx)
  let result: RunTxResult
  try {
    result = await runTx(vm, {
      tx,
      block: env,
      // the precheck applied geth's nonce rule (or none, as geth skips it for calls)
      skipNonce: true,
      // the precheck enforced geth's balance rule; ethereumjs must not top the sender up
      skipBalance: false,
      skipBlockGasLimitValidation: true,
      skipHardForkValidation: true,
      ...(options.blockGasUsed !== undefined ? { blockGasUsed: options.blockGasUsed } : {}),
      ...(options.reportAccessList === true ? { reportAccessList: true } : {}),
    })
  } catch (err) {
    // any other validation failure is a call result, not a crash
    return refused({ code: CALL_ERROR.INVALID_MESSAGE, message: stripContext(err) }, tx)
  } finally {
    // a credit failure on a simulated message only concerns that message, never a later one
    runtime.feeHook.takeError()
  }
  const ex = result.execResult
  const callResult: CallResult = { returnData: ex.returnValue, gasUsed: result.totalGasSpent }
  if (ex.exceptionError !== undefined) callResult.error = gethHaltMessage(ex.exceptionError.error)
  return { tx, result, callResult }
}

/** ethereumjs' reason without its context dump (" (vm hf=..."/" (tx type=..."). */
function stripContext(err: unknown): string {
  const message = err instanceof Error ? err.message : 'invalid call'
  const cut = message.search(/ \((vm hf|tx type)=/)
  return cut === -1 ? message : message.slice(0, cut)
}
