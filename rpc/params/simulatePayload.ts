import type { SimulateBlockCalls, SimulateBlockOverrides, SimulatedWithdrawal } from '../../runtime/index.ts'
import { invalidParams } from '../errors.ts'
import { parseBlockOverrides, parseCallRequest, parseStateOverrides } from './callRequest.ts'
import { badArg, jsonKind, parseAddress, parseBool, parseHash, parseObject, parseUint64, requiredField } from './parse.ts'

/** An eth_simulateV1 payload after validation (execution-apis EthSimulatePayload). */
export type SimulatePayload = {
  blocks: SimulateBlockCalls[]
  validation: boolean
  traceTransfers: boolean
  returnFullTransactions: boolean
}

/** Block override fields a simulated block has beyond eth_call's (geth's BlockOverrides). */
const BUILT_BLOCK_FIELDS = ['beaconRoot', 'withdrawals']

function optionalBool(value: unknown, index: number): boolean {
  return value === undefined || value === null ? false : parseBool(value, index)
}

function array(value: unknown, index: number, what: string): unknown[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw badArg(index, `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${what}`)
  return value
}

/**
 * Parse the first parameter of eth_simulateV1: blockStateCalls (each with optional
 * blockOverrides, stateOverrides and calls as GenericTransaction), validation, traceTransfers and
 * returnFullTransactions (booleans, default false). Unknown top-level fields are ignored as geth
 * ignores them; an empty blockStateCalls is geth's -32602 "empty input". Limits on blocks and
 * calls are the runtime's (they answer -38026).
 *
 * @example
 * const payload = parseSimulatePayload({ blockStateCalls: [{ calls: [{ to: '0x…', input: '0x…' }] }] }, 0)
 */
export function parseSimulatePayload(value: unknown, index: number): SimulatePayload {
  const o = parseObject(value, index, 'ethapi.simOpts')
  const blocks = array(o.blockStateCalls, index, 'simOpts.blockStateCalls of type []ethapi.simBlock').map((b) => parseBlockCalls(b, index))
  if (blocks.length === 0) throw invalidParams('empty input')
  return {
    blocks,
    validation: optionalBool(o.validation, index),
    traceTransfers: optionalBool(o.traceTransfers, index),
    returnFullTransactions: optionalBool(o.returnFullTransactions, index),
  }
}

function parseBlockCalls(value: unknown, index: number): SimulateBlockCalls {
  const b = parseObject(value, index, 'ethapi.simBlock')
  const calls = array(b.calls, index, 'simBlock.calls of type []ethapi.TransactionArgs').map((c) => parseCallRequest(c, index))
  const out: SimulateBlockCalls = { calls }
  const blockOverrides = parseSimulateBlockOverrides(b.blockOverrides, index)
  if (blockOverrides !== undefined) out.blockOverrides = blockOverrides
  if (b.stateOverrides !== undefined && b.stateOverrides !== null) {
    for (const account of Object.values(parseObject(b.stateOverrides, index, 'override.StateOverride'))) {
      const move = (account as Record<string, unknown> | null)?.movePrecompileToAddress
      // moving a precompile needs an EVM with a different precompile set: not offered
      if (move !== undefined && move !== null) throw badArg(index, 'movePrecompileToAddress is not supported')
    }
    const stateOverrides = parseStateOverrides(b.stateOverrides, index)
    if (stateOverrides !== undefined) out.stateOverrides = stateOverrides
  }
  return out
}

/** eth_call's block overrides plus beaconRoot and withdrawals, which only a built block has. */
function parseSimulateBlockOverrides(value: unknown, index: number): SimulateBlockOverrides | undefined {
  if (value === undefined || value === null) return undefined
  const o = parseObject(value, index, 'override.BlockOverrides')
  const base = Object.fromEntries(Object.entries(o).filter(([k]) => !BUILT_BLOCK_FIELDS.includes(k)))
  const out: SimulateBlockOverrides = parseBlockOverrides(base, index) ?? {}
  if (o.beaconRoot !== undefined && o.beaconRoot !== null) out.beaconRoot = parseHash(o.beaconRoot, index)
  if (o.withdrawals !== undefined && o.withdrawals !== null) {
    out.withdrawals = array(o.withdrawals, index, 'BlockOverrides.withdrawals of type types.Withdrawals').map((w) => parseWithdrawal(w, index))
  }
  return out
}

/** One withdrawal (execution-apis Withdrawal): every field required. */
function parseWithdrawal(value: unknown, index: number): SimulatedWithdrawal {
  const w = parseObject(value, index, 'types.Withdrawal')
  const field = (name: string): unknown => requiredField(w, name, index, 'Withdrawal')
  return {
    index: parseUint64(field('index'), index),
    validatorIndex: parseUint64(field('validatorIndex'), index),
    address: parseAddress(field('address'), index),
    amount: parseUint64(field('amount'), index),
  }
}
