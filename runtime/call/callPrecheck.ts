import type { TypedTransaction } from '@ethereumjs/tx'
import { toChecksumAddress } from '../../genesis/index.ts'
import { bytesToHex } from '@ethereumjs/util'
import type { CallRequest } from './types.ts'

/** What the pre-execution checks of one simulated message look at. */
export type CallPrecheckInput = {
  /** the message as built (gas limit already capped) */
  tx: TypedTransaction
  req: CallRequest
  /** base fee of the env block the message runs in (0 when the call names no fees) */
  baseFee: bigint
  /** the sender's balance in the call's state, state overrides applied */
  balance: bigint
}

/**
 * True when the request names no fee, or only zero fees: geth then runs the call with NoBaseFee
 * (base fee 0 in the EVM) and skips the fee checks, so a caller without funds can still simulate.
 */
export function hasZeroFees(req: CallRequest): boolean {
  return (req.gasPrice ?? 0n) === 0n && (req.maxFeePerGas ?? 0n) === 0n && (req.maxPriorityFeePerGas ?? 0n) === 0n
}

/**
 * geth's checks before a message executes (core/state_transition.go: preCheck's fee checks, then
 * buyGas' balance check, then the intrinsic and EIP-7623 floor gas checks), in geth's order and
 * wording, since ethers and viem classify call failures by these messages. Returns the failure
 * message, or undefined when the message may execute.
 */
export function callPrecheck({ tx, req, baseFee, balance }: CallPrecheckInput): string | undefined {
  const from = (): string => toChecksumAddress(bytesToHex(req.from ?? new Uint8Array(20)))
  // a legacy gasPrice is both the fee cap and the tip (geth's ToMessage)
  const feeCap = req.gasPrice ?? req.maxFeePerGas ?? 0n
  const tip = req.gasPrice ?? req.maxPriorityFeePerGas ?? 0n
  if (!hasZeroFees(req)) {
    if (feeCap < tip) {
      return `max priority fee per gas higher than max fee per gas: address ${from()}, maxPriorityFeePerGas: ${tip}, maxFeePerGas: ${feeCap}`
    }
    if (feeCap < baseFee) return `max fee per gas less than block base fee: address ${from()}, maxFeePerGas: ${feeCap}, baseFee: ${baseFee}`
  }
  // buyGas: the sender must afford gas * fee cap + value (with no fees that is the value alone)
  const want = tx.gasLimit * feeCap + tx.value
  if (balance < want) return `insufficient funds for gas * price + value: address ${from()} have ${balance} want ${want}`
  const intrinsic = tx.getIntrinsicGas()
  if (tx.gasLimit < intrinsic) return `intrinsic gas too low: have ${tx.gasLimit}, want ${intrinsic}`
  const floor = tx.getMinimumGasLimit()
  if (tx.gasLimit < floor) return `insufficient gas for floor data gas cost: have ${tx.gasLimit}, want ${floor}`
  return undefined
}

/** EIP-3860: the largest init code a creation may carry. */
const MAX_INITCODE_SIZE = 49_152
const MAX_UINT256 = 2n ** 256n - 1n

/**
 * geth's refusals of a message that no tx could carry, before it is built (core/state_transition.go:
 * the set-code shape checks, buyGas' 256-bit bound on gas * fee cap + value, and the EIP-3860
 * init code limit), in geth's wording. Returns the failure message, or undefined.
 */
export function messagePrecheck(req: CallRequest, gasLimit: bigint): string | undefined {
  const sender = (): string => toChecksumAddress(bytesToHex(req.from ?? new Uint8Array(20)))
  if (req.authorizationList !== undefined) {
    if (req.to === undefined) return `EIP-7702 transaction cannot be used to create contract (sender ${sender()})`
    if (req.authorizationList.length === 0) return `EIP-7702 transaction with empty auth list (sender ${sender()})`
  }
  const feeCap = req.gasPrice ?? req.maxFeePerGas ?? req.maxPriorityFeePerGas ?? 0n
  if (gasLimit * feeCap + (req.value ?? 0n) > MAX_UINT256) {
    return `insufficient funds for gas * price + value: address ${sender()} required balance exceeds 256 bits`
  }
  const size = req.data?.length ?? 0
  if (req.to === undefined && size > MAX_INITCODE_SIZE) return `max initcode size exceeded: code size ${size} limit ${MAX_INITCODE_SIZE}`
  return undefined
}
