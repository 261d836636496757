import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { AbiFunction } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import { callFunction } from '../framework/moduleCalls.ts'
import type { ModuleContext } from '../framework/types.ts'
import { openTrace } from '../framework/trace208.ts'
import { GOVERNOR_SLOTS } from './governorStorage.ts'

/**
 * OZ's GovernorVotes + GovernorVotesQuorumFraction: voting weight, total supply and the clock
 * come from the GOPEN module (IERC5805) through STATICCALLs, as the Solidity governor reads its
 * token.
 */
export const VOTES_TOKEN: Hex = MODULE_ADDRESSES.gopen

/** quorumBps: the quorum numerator is in basis points of the past total supply. */
export const QUORUM_DENOMINATOR = 10_000n

const TOKEN = {
  clock: AbiFunction.from('function clock() view returns (uint48)'),
  clockMode: AbiFunction.from('function CLOCK_MODE() view returns (string)'),
  getPastVotes: AbiFunction.from('function getPastVotes(address account, uint256 timepoint) view returns (uint256)'),
  getPastTotalSupply: AbiFunction.from('function getPastTotalSupply(uint256 timepoint) view returns (uint256)'),
}

const CLOCK_CALL = hexToBytes(AbiFunction.encodeData(TOKEN.clock))
const CLOCK_MODE_CALL = hexToBytes(AbiFunction.encodeData(TOKEN.clockMode))

/** The ERC-6372 mode of a timestamp clock, as OZ's Time library writes it. */
const TIMESTAMP_MODE = 'mode=timestamp'

// the clock cannot change within one call frame; OZ asks the token each time, this asks once
const clocks = new WeakMap<ModuleContext, bigint>()

/**
 * The token's clock(). Where the token does not answer (no GOPEN module yet), OZ falls back to
 * block numbers; this governor's durations are seconds by spec, so it falls back to the
 * timestamp the token would report.
 */
export async function clock(ctx: ModuleContext): Promise<bigint> {
  const known = clocks.get(ctx)
  if (known !== undefined) return known
  const result = await ctx.staticcall(VOTES_TOKEN, CLOCK_CALL)
  let value = ctx.timestamp
  if (result.success && result.returnData.length === 32) value = BigInt(AbiFunction.decodeResult(TOKEN.clock, bytesToHex(result.returnData)) as number)
  clocks.set(ctx, value)
  return value
}

/** The token's CLOCK_MODE(), or the timestamp mode the fallback clock follows. */
export async function clockMode(ctx: ModuleContext): Promise<string> {
  const result = await ctx.staticcall(VOTES_TOKEN, CLOCK_MODE_CALL)
  if (!result.success) return TIMESTAMP_MODE
  try {
    return AbiFunction.decodeResult(TOKEN.clockMode, bytesToHex(result.returnData)) as string
  } catch {
    return TIMESTAMP_MODE
  }
}

/** Voting weight of `account` at a past timepoint (the token reverts on a future one). */
export async function getVotes(ctx: ModuleContext, account: Hex, timepoint: bigint): Promise<bigint> {
  return (await callFunction(ctx, VOTES_TOKEN, TOKEN.getPastVotes, [account, timepoint])) as bigint
}

/** quorumNumerator(timepoint): the checkpointed numerator in force at `timepoint`. */
export async function quorumNumeratorAt(ctx: ModuleContext, timepoint: bigint): Promise<bigint> {
  return openTrace(ctx, ctx, GOVERNOR_SLOTS.quorumNumerators).latestFirstLookup(timepoint)
}

/** quorum(timepoint) = past total supply x numerator / 10,000 (rounded down, as Math.mulDiv). */
export async function quorum(ctx: ModuleContext, timepoint: bigint): Promise<bigint> {
  const supply = (await callFunction(ctx, VOTES_TOKEN, TOKEN.getPastTotalSupply, [timepoint])) as bigint
  return (supply * (await quorumNumeratorAt(ctx, timepoint))) / QUORUM_DENOMINATOR
}
