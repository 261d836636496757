import type { TypedTransaction } from '@ethereumjs/tx'
import { toChecksumAddress } from '../../genesis/index.ts'
import { bytesToHex } from '@ethereumjs/util'
import { CALL_ERROR } from './callErrors.ts'
import type { CallErrorCode } from './callErrors.ts'
import type { CallRequest } from './types.ts'

/** The largest account nonce (EIP-2681): a tx from an account at it cannot bump it. */
const MAX_NONCE = 2n ** 64n - 1n

/** What the pre-execution checks of one simulated message look at. */
export type CallPrecheckInput = {
  /** the message as built (gas limit already capped) */
  tx: TypedTransaction
  req: CallRequest
  /** base fee of the env block the message runs in (0 when the call names no fees) */
  baseFee: bigint
  /** the sender's balance in the call's state, state overrides applied */
  balance: bigint
  /**
   * The sender's state nonce, given when the message's nonce is checked as a tx's would be
   * (eth_simulateV1 with validation); absent, the check is skipped (geth's SkipNonceChecks).
   */
  stateNonce?: bigint
  /**
   * geth's NoBaseFee (default true, as eth_call runs): a message naming only zero fees skips the
   * fee checks. False applies them to every message, as to a real tx.
   */
  noBaseFee?: boolean
}

/** Why a message cannot execute: a {@link CALL_ERROR} code (the kind, for eth_simulateV1's error codes) and geth's wording. */
export type CallRejection = { code: CallErrorCode; message: string }

/**
 * True when the request names no fee, or only zero fees: geth then runs the call with NoBaseFee
 * (base fee 0 in the EVM) and skips the fee checks, so a caller without funds can still simulate.
 */
export function hasZeroFees(req: CallRequest): boolean {
  return (req.gasPrice ?? 0n) === 0n && (req.maxFeePerGas ?? 0n) === 0n && (req.maxPriorityFeePerGas ?? 0n) === 0n
}

/**
 * geth's checks before a message executes (core/state_transition.go: preCheck's nonce checks when
 * asked for and its fee checks (the EIP-3860 limit is {@link messagePrecheck}'s), then buyGas' balance check, then the
 * intrinsic and EIP-7623 floor gas checks), in geth's order and wording, since ethers and viem
 * classify call failures by these messages. Returns the refusal, or undefined when the message may
 * execute.
 */
export function callPrecheck({ tx, req, baseFee, balance, stateNonce, noBaseFee = true }: CallPrecheckInput): CallRejection | undefined {
  const from = (): string => toChecksumAddress(bytesToHex(req.from ?? new Uint8Array(20)))
  const refuse = (code: CallErrorCode, message: string): CallRejection => ({ code, message })
  if (stateNonce !== undefined) {
    const nonce = req.nonce ?? stateNonce
    if (stateNonce < nonce) return refuse(CALL_ERROR.NONCE_TOO_HIGH, `nonce too high: address ${from()}, tx: ${nonce} state: ${stateNonce}`)
    if (stateNonce > nonce) return refuse(CALL_ERROR.NONCE_TOO_LOW, `nonce too low: address ${from()}, tx: ${nonce} state: ${stateNonce}`)
    if (stateNonce >= MAX_NONCE) return refuse(CALL_ERROR.NONCE_MAX, `nonce has max value: address ${from()}, nonce: ${stateNonce}`)
  }
  // a legacy gasPrice is both the fee cap and the tip (geth's ToMessage)
  const feeCap = req.gasPrice ?? req.maxFeePerGas ?? 0n
  const tip = req.gasPrice ?? req.maxPriorityFeePerGas ?? 0n
  if (!noBaseFee || !hasZeroFees(req)) {
    if (feeCap < tip) {
      const message = `max priority fee per gas higher than max fee per gas: address ${from()}, maxPriorityFeePerGas: ${tip}, maxFeePerGas: ${feeCap}`
      return refuse(CALL_ERROR.TIP_ABOVE_FEE_CAP, message)
    }
    if (feeCap < baseFee) {
      return refuse(CALL_ERROR.FEE_CAP_TOO_LOW, `max fee per gas less than block base fee: address ${from()}, maxFeePerGas: ${feeCap}, baseFee: ${baseFee}`)
    }
  }
  // buyGas: the sender must afford gas * fee cap + value (with no fees that is the value alone)
  const want = tx.gasLimit * feeCap + tx.value
  if (balance < want) return refuse(CALL_ERROR.INSUFFICIENT_FUNDS, `insufficient funds for gas * price + value: address ${from()} have ${balance} want ${want}`)
  const intrinsic = tx.getIntrinsicGas()
  if (tx.gasLimit < intrinsic) return refuse(CALL_ERROR.INTRINSIC_GAS, `intrinsic gas too low: have ${tx.gasLimit}, want ${intrinsic}`)
  const floor = tx.getMinimumGasLimit()
  if (tx.gasLimit < floor) return refuse(CALL_ERROR.FLOOR_DATA_GAS, `insufficient gas for floor data gas cost: have ${tx.gasLimit}, want ${floor}`)
  return undefined
}

const MAX_UINT256 = 2n ** 256n - 1n
/** EIP-3860: the largest init code a creation may carry (also Common's maxInitCodeSize in Prague). */
const MAX_INITCODE_SIZE = 49_152

/**
 * geth's refusals of a message that no tx object could carry, checked before it is built
 * (core/state_transition.go: the set-code shape checks, the EIP-3860 init code limit, buyGas'
 * 256-bit bound on gas * fee cap + value), in geth's wording. Returns the refusal, or undefined.
 */
export function messagePrecheck(req: CallRequest, gasLimit: bigint): CallRejection | undefined {
  const sender = (): string => toChecksumAddress(bytesToHex(req.from ?? new Uint8Array(20)))
  if (req.authorizationList !== undefined) {
    if (req.to === undefined)
      return { code: CALL_ERROR.INVALID_MESSAGE, message: `EIP-7702 transaction cannot be used to create contract (sender ${sender()})` }
    if (req.authorizationList.length === 0)
      return { code: CALL_ERROR.INVALID_MESSAGE, message: `EIP-7702 transaction with empty auth list (sender ${sender()})` }
  }
  const size = req.data?.length ?? 0
  if (req.to === undefined && size > MAX_INITCODE_SIZE) {
    return { code: CALL_ERROR.INIT_CODE_SIZE, message: `max initcode size exceeded: code size ${size} limit ${MAX_INITCODE_SIZE}` }
  }
  const feeCap = req.gasPrice ?? req.maxFeePerGas ?? req.maxPriorityFeePerGas ?? 0n
  if (gasLimit * feeCap + (req.value ?? 0n) > MAX_UINT256) {
    return { code: CALL_ERROR.INSUFFICIENT_FUNDS, message: `insufficient funds for gas * price + value: address ${sender()} required balance exceeds 256 bits` }
  }
  return undefined
}
