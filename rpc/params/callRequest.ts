import type { BlockOverrides, CallAuthorization, CallRequest, StateOverride } from '../ports/index.ts'
import { RPC_ERROR, RpcError } from '../errors.ts'
import { bytesEqual } from '../hex.ts'
import {
  badArg,
  jsonKind,
  parseAddress,
  parseAddressHex,
  parseData,
  parseHash,
  parseObject,
  parseQuantity,
  parseSlot,
  parseUint64,
  requiredField,
} from './parse.ts'

/** Parse execution-apis GenericTransaction (geth TransactionArgs) for eth_call and friends. */
export function parseCallRequest(value: unknown, index: number): CallRequest {
  const o = parseObject(value, index, 'ethapi.TransactionArgs')
  const req: CallRequest = {}
  if (o.from !== undefined && o.from !== null) req.from = parseAddress(o.from, index)
  if (o.to !== undefined && o.to !== null) req.to = parseAddress(o.to, index)
  if (o.gas !== undefined && o.gas !== null) req.gas = parseUint64(o.gas, index)
  if (o.gasPrice !== undefined && o.gasPrice !== null) req.gasPrice = parseQuantity(o.gasPrice, index)
  if (o.maxFeePerGas !== undefined && o.maxFeePerGas !== null) req.maxFeePerGas = parseQuantity(o.maxFeePerGas, index)
  if (o.maxPriorityFeePerGas !== undefined && o.maxPriorityFeePerGas !== null) {
    req.maxPriorityFeePerGas = parseQuantity(o.maxPriorityFeePerGas, index)
  }
  // geth answers these after decoding (-32000), not as a decoding error; a tip above the fee cap is
  // left to the method (calls: the state transition's check; eth_sendTransaction: its fee defaults)
  if (req.gasPrice !== undefined && (req.maxFeePerGas !== undefined || req.maxPriorityFeePerGas !== undefined)) {
    throw new RpcError(RPC_ERROR.INVALID_INPUT, 'both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified')
  }
  if (o.value !== undefined && o.value !== null) req.value = parseQuantity(o.value, index)
  if (o.nonce !== undefined && o.nonce !== null) req.nonce = parseUint64(o.nonce, index)
  if (o.chainId !== undefined && o.chainId !== null) req.chainId = parseQuantity(o.chainId, index)
  const input = o.input !== undefined && o.input !== null ? parseData(o.input, index) : undefined
  const data = o.data !== undefined && o.data !== null ? parseData(o.data, index) : undefined
  if (input !== undefined && data !== undefined && !bytesEqual(input, data)) {
    throw badArg(index, 'both "data" and "input" are set and not equal. Please use "input" to pass transaction call data')
  }
  const payload = input ?? data
  if (payload !== undefined) req.data = payload
  if (o.type !== undefined && o.type !== null) req.type = Number(parseUint64(o.type, index))
  if (o.accessList !== undefined && o.accessList !== null) {
    if (!Array.isArray(o.accessList)) throw badArg(index, 'accessList must be an array')
    req.accessList = o.accessList.map((e) => {
      const entry = parseObject(e, index, 'types.AccessTuple')
      const keys = entry.storageKeys ?? []
      if (!Array.isArray(keys)) throw badArg(index, 'storageKeys must be an array')
      return { address: parseAddress(entry.address, index), storageKeys: keys.map((k) => parseHash(k, index)) }
    })
  }
  if (o.authorizationList !== undefined && o.authorizationList !== null) {
    if (!Array.isArray(o.authorizationList)) throw badArg(index, 'authorizationList must be an array')
    req.authorizationList = o.authorizationList.map((a) => parseAuthorization(a, index))
  }
  return req
}

/** One EIP-7702 authorization as geth decodes types.SetCodeAuthorization: every field required. */
function parseAuthorization(value: unknown, index: number): CallAuthorization {
  const a = parseObject(value, index, 'types.SetCodeAuthorization')
  const field = (name: string): unknown => requiredField(a, name, index, 'SetCodeAuthorization')
  return {
    chainId: parseQuantity(field('chainId'), index),
    address: parseAddress(field('address'), index),
    nonce: parseUint64(field('nonce'), index),
    yParity: parseUint64(field('yParity'), index),
    r: parseQuantity(field('r'), index),
    s: parseQuantity(field('s'), index),
  }
}

/**
 * geth refuses a request whose chainId is not the node's (CallDefaults for calls, setDefaults for
 * eth_sendTransaction); a request without one takes the node's.
 */
export function checkChainId(req: CallRequest, chainId: bigint): void {
  if (req.chainId !== undefined && req.chainId !== chainId) {
    throw new RpcError(RPC_ERROR.INVALID_INPUT, `chainId does not match node's (have=${req.chainId}, want=${chainId})`)
  }
}

/** Parse a geth state-override set: address -> {balance, nonce, code, state | stateDiff}. */
export function parseStateOverrides(value: unknown, index: number): Map<string, StateOverride> | undefined {
  if (value === undefined || value === null) return undefined
  const o = parseObject(value, index, 'ethapi.StateOverride')
  const out = new Map<string, StateOverride>()
  for (const [addr, v] of Object.entries(o)) {
    const address = parseAddressHex(addr, index)
    const a = parseObject(v, index, 'ethapi.OverrideAccount')
    const ov: StateOverride = {}
    if (a.balance !== undefined && a.balance !== null) ov.balance = parseQuantity(a.balance, index)
    if (a.nonce !== undefined && a.nonce !== null) ov.nonce = parseUint64(a.nonce, index)
    if (a.code !== undefined && a.code !== null) ov.code = parseData(a.code, index)
    const slots = (m: unknown): [Uint8Array, Uint8Array][] =>
      Object.entries(parseObject(m, index, 'map[common.Hash]common.Hash')).map(([k, val]) => [parseSlot(k, index), parseSlot(val, index)])
    if (a.state !== undefined && a.state !== null && a.stateDiff !== undefined && a.stateDiff !== null) {
      throw badArg(index, `account ${address} has both 'state' and 'stateDiff'`)
    }
    if (a.state !== undefined && a.state !== null) ov.state = slots(a.state)
    if (a.stateDiff !== undefined && a.stateDiff !== null) ov.stateDiff = slots(a.stateDiff)
    out.set(address, ov)
  }
  return out
}

/** Parse geth block overrides (number, time, gasLimit, coinbase / feeRecipient, prevRandao / random, baseFee / baseFeePerGas). */
export function parseBlockOverrides(value: unknown, index: number): BlockOverrides | undefined {
  if (value === undefined || value === null) return undefined
  const o = parseObject(value, index, 'ethapi.BlockOverrides')
  const out: BlockOverrides = {}
  if (o.number !== undefined && o.number !== null) out.number = parseQuantity(o.number, index)
  if (o.time !== undefined && o.time !== null) out.time = parseUint64(o.time, index)
  if (o.gasLimit !== undefined && o.gasLimit !== null) out.gasLimit = parseUint64(o.gasLimit, index)
  const coinbase = o.feeRecipient ?? o.coinbase
  if (coinbase !== undefined && coinbase !== null) out.coinbase = parseAddress(coinbase, index)
  const random = o.prevRandao ?? o.random
  if (random !== undefined && random !== null) out.random = parseHash(random, index)
  const baseFee = o.baseFeePerGas ?? o.baseFee
  if (baseFee !== undefined && baseFee !== null) out.baseFee = parseQuantity(baseFee, index)
  for (const k of Object.keys(o)) {
    if (
      !['number', 'time', 'gasLimit', 'feeRecipient', 'coinbase', 'prevRandao', 'random', 'baseFeePerGas', 'baseFee', 'difficulty', 'blobBaseFee'].includes(k)
    ) {
      throw badArg(index, `json: unknown field "${k}" in ${jsonKind(o)} BlockOverrides`)
    }
  }
  return out
}
