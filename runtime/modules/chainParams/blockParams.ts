import type { StateManagerInterface } from '@ethereumjs/common'
import { bigIntToBytes, bytesToBigInt, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import type { BaseFeeParams, ChainSpec, FeeRecipients, Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import { addressWord, wordAddress } from '../framework/slots.ts'

/**
 * The chain parameters in force for one block. With runtime modules (spec.governance) they live
 * in the chainParams module's state and change only through a passed proposal, from the block
 * after the one that executes it; without modules they are the spec's constants.
 */
export type BlockParams = {
  gasLimit: bigint
  baseFee: BaseFeeParams
  feeRecipients: FeeRecipients
  /** basis points of each tx's base fee credited to feeRecipients.baseFee; the rest goes to feeRecipients.priorityFee */
  baseFeeShareBps: bigint
}

/** The governed parameters in storage order: param i uses slots 3i (current), 3i+1 (pending), 3i+2 (pending from block). */
export const CHAIN_PARAM_NAMES = [
  'gasLimit',
  'maxChangeDenominator',
  'elasticityMultiplier',
  'baseFeeRecipient',
  'priorityFeeRecipient',
  'baseFeeShareBps',
] as const
export type ChainParamName = (typeof CHAIN_PARAM_NAMES)[number]

export const FULL_SHARE_BPS = 10_000n

/** A parameter's slots: its value, a pending value and the block the pending value applies from (0 = none). */
export function paramSlots(name: ChainParamName): { current: bigint; pending: bigint; from: bigint } {
  const base = BigInt(CHAIN_PARAM_NAMES.indexOf(name)) * 3n
  return { current: base, pending: base + 1n, from: base + 2n }
}

/** The value in force at block `number` from a parameter's three words. */
export function valueAt(current: bigint, pending: bigint, from: bigint, number: bigint): bigint {
  return from !== 0n && number >= from ? pending : current
}

/** The spec's parameters as words (genesis values of the module, and the chain's constants without modules). */
export function specParamWords(spec: ChainSpec): Record<ChainParamName, bigint> {
  return {
    gasLimit: spec.gasLimit,
    maxChangeDenominator: spec.baseFee.maxChangeDenominator,
    elasticityMultiplier: spec.baseFee.elasticityMultiplier,
    baseFeeRecipient: addressWord(spec.feeRecipients.baseFee),
    priorityFeeRecipient: addressWord(spec.feeRecipients.priorityFee),
    baseFeeShareBps: FULL_SHARE_BPS,
  }
}

/** BlockParams from parameter words. */
export function toBlockParams(spec: ChainSpec, w: Record<ChainParamName, bigint>): BlockParams {
  return {
    gasLimit: w.gasLimit,
    baseFee: { initial: spec.baseFee.initial, maxChangeDenominator: w.maxChangeDenominator, elasticityMultiplier: w.elasticityMultiplier },
    feeRecipients: { baseFee: wordAddress(w.baseFeeRecipient) as Hex, priorityFee: wordAddress(w.priorityFeeRecipient) as Hex },
    baseFeeShareBps: w.baseFeeShareBps,
  }
}

const specParams = new WeakMap<ChainSpec, BlockParams>()

/** The spec's constant parameters (a chain without runtime modules). */
export function specBlockParams(spec: ChainSpec): BlockParams {
  let p = specParams.get(spec)
  if (p === undefined) {
    p = toBlockParams(spec, specParamWords(spec))
    specParams.set(spec, p)
  }
  return p
}

const MODULE = createAddressFromString(MODULE_ADDRESSES.chainParams)

/**
 * The parameters of block `number`, read from a state anywhere between the parent's post-state
 * and the end of block `number` itself: a change executed in block n is stored as pending from
 * n + 1, so every reader inside block n sees block n's values and the parent's post-state already
 * gives block n + 1's. Unmetered (node-side reads: header rules, fee credit, pool, RPC).
 */
export async function readBlockParams(state: StateManagerInterface, spec: ChainSpec, number: bigint): Promise<BlockParams> {
  if (spec.governance === undefined) return specBlockParams(spec)
  const word = async (slot: bigint) => bytesToBigInt(await state.getStorage(MODULE, setLengthLeft(bigIntToBytes(slot), 32)))
  const w = {} as Record<ChainParamName, bigint>
  for (const name of CHAIN_PARAM_NAMES) {
    const s = paramSlots(name)
    w[name] = valueAt(await word(s.current), await word(s.pending), await word(s.from), number)
  }
  return toBlockParams(spec, w)
}
