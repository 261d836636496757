import { Abi } from 'ox'
import { BASE_ERRORS, BASE_FUNCTIONS, signaturesOf } from '../framework/compileModule.ts'

/** What blockParams() and nextBlockParams() return. */
const PARAMS_OUTPUTS =
  'returns (uint64 gasLimit, uint64 maxChangeDenominator, uint64 elasticityMultiplier, address baseFeeRecipient, address priorityFeeRecipient, uint16 baseFeeShareBps)'

/**
 * The chainParams module's ABI (IChainParams.sol), human-readable, with the handler each function
 * maps to. test/unit/runtime/modules/chainParams checks it against the compiled Solidity interface.
 */
export const CHAIN_PARAMS_FUNCTIONS = [
  [`function blockParams() view ${PARAMS_OUTPUTS}`, 'blockParams'],
  [`function nextBlockParams() view ${PARAMS_OUTPUTS}`, 'nextBlockParams'],
  ['function setGasLimit(uint64 gasLimit)', 'setGasLimit'],
  ['function setBaseFeeParams(uint64 maxChangeDenominator, uint64 elasticityMultiplier)', 'setBaseFeeParams'],
  ['function setFeeRecipients(address baseFeeRecipient, address priorityFeeRecipient)', 'setFeeRecipients'],
  ['function setBaseFeeShare(uint16 baseFeeShareBps)', 'setBaseFeeShare'],
] as const

export const CHAIN_PARAMS_EVENTS = ['event ChainParameterChanged(bytes32 indexed name, uint256 value, uint256 fromBlock)'] as const

export const CHAIN_PARAMS_ERRORS = ['error ChainParamsUnauthorized(address caller)', 'error ChainParamsInvalidValue(bytes32 name, uint256 value)'] as const

/**
 * The chainParams module's full JSON ABI, as `compileModule` builds it (own functions, the base
 * functions every module answers, events, base errors, own errors): typed `as const` for viem and ox.
 *
 * @example
 * ```ts
 * import { MODULE_ADDRESSES, chainParamsAbi } from './runtime/index.ts'
 * const next = await client.readContract({ address: MODULE_ADDRESSES.chainParams, abi: chainParamsAbi, functionName: 'nextBlockParams' })
 * ```
 */
export const chainParamsAbi = Abi.from([
  ...signaturesOf(CHAIN_PARAMS_FUNCTIONS),
  ...BASE_FUNCTIONS,
  ...CHAIN_PARAMS_EVENTS,
  ...BASE_ERRORS,
  ...CHAIN_PARAMS_ERRORS,
])
