import { AbiFunction } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import { callFunction } from '../framework/moduleCalls.ts'
import type { ModuleContext } from '../framework/types.ts'
import { stateBitmap, toBytes32 } from '../framework/words.ts'
import { OPERATION_STATE } from '../timelock/timelockStorage.ts'
import { clock, quorum } from './governorVotes.ts'
import { PROPOSAL_FIELDS, type ProposalCore, proposalSlot, readCore, readSettings, readTimes } from './governorStorage.ts'

/** IGovernor.ProposalState. */
export const PROPOSAL_STATE = {
  Pending: 0,
  Active: 1,
  Canceled: 2,
  Defeated: 3,
  Succeeded: 4,
  Queued: 5,
  Expired: 6,
  Executed: 7,
} as const
export type ProposalState = (typeof PROPOSAL_STATE)[keyof typeof PROPOSAL_STATE]

/** The timelock whose operations the governor queues (GovernorTimelockControl; updateTimelock is not offered). */
export const TIMELOCK: Hex = MODULE_ADDRESSES.timelock

const getOperationState = AbiFunction.from('function getOperationState(bytes32 id) view returns (uint8)')

/** OZ's proposalDeadline with GovernorPreventLateQuorum: the later of the voting end and the extension. */
export async function proposalDeadline(ctx: ModuleContext, base: bigint, core: ProposalCore): Promise<bigint> {
  const deadline = core.voteStart + core.voteDuration
  const { extendedDeadline } = await readTimes(ctx, base)
  return extendedDeadline > deadline ? extendedDeadline : deadline
}

/** The three tallies (GovernorCountingSimple). */
export async function proposalVotes(ctx: ModuleContext, base: bigint): Promise<{ against: bigint; for: bigint; abstain: bigint }> {
  return {
    against: await ctx.sload(base + PROPOSAL_FIELDS.againstVotes),
    for: await ctx.sload(base + PROPOSAL_FIELDS.forVotes),
    abstain: await ctx.sload(base + PROPOSAL_FIELDS.abstainVotes),
  }
}

/** GovernorCountingSimple's `_quorumReached`: For + Abstain reach quorum(snapshot). */
export async function quorumReached(ctx: ModuleContext, base: bigint, snapshot: bigint): Promise<boolean> {
  const votes = await proposalVotes(ctx, base)
  return (await quorum(ctx, snapshot)) <= votes.for + votes.abstain
}

/**
 * IGovernor.state with GovernorTimelockControl's reading of a queued proposal, plus the grace
 * period: a proposal still queued in the timelock after eta + gracePeriod is Expired
 * (OpenZeppelin's TimelockController has no grace period, Compound's timelock does).
 */
export async function proposalState(ctx: ModuleContext, proposalId: bigint): Promise<ProposalState> {
  const base = proposalSlot(ctx, proposalId)
  const core = await readCore(ctx, base)
  if (core.executed) return PROPOSAL_STATE.Executed
  if (core.canceled) return PROPOSAL_STATE.Canceled
  if (core.voteStart === 0n) ctx.revert('GovernorNonexistentProposal', [proposalId])
  const now = await clock(ctx)
  if (core.voteStart >= now) return PROPOSAL_STATE.Pending
  if ((await proposalDeadline(ctx, base, core)) >= now) return PROPOSAL_STATE.Active
  const votes = await proposalVotes(ctx, base)
  if (votes.for <= votes.against) return PROPOSAL_STATE.Defeated
  if ((await quorum(ctx, core.voteStart)) > votes.for + votes.abstain) return PROPOSAL_STATE.Defeated
  const { eta } = await readTimes(ctx, base)
  if (eta === 0n) return PROPOSAL_STATE.Succeeded
  const timelockId = await ctx.sload(base + PROPOSAL_FIELDS.timelockId)
  const operation = Number(await callFunction(ctx, TIMELOCK, getOperationState, [toBytes32(timelockId)]))
  if (operation === OPERATION_STATE.Waiting || operation === OPERATION_STATE.Ready) {
    const { gracePeriod } = await readSettings(ctx)
    return ctx.timestamp > eta + gracePeriod ? PROPOSAL_STATE.Expired : PROPOSAL_STATE.Queued
  }
  return operation === OPERATION_STATE.Done ? PROPOSAL_STATE.Executed : PROPOSAL_STATE.Canceled
}

/** OZ's `_validateStateBitmap`: the current state, or GovernorUnexpectedProposalState. */
export async function validateState(ctx: ModuleContext, proposalId: bigint, allowed: bigint): Promise<ProposalState> {
  const current = await proposalState(ctx, proposalId)
  if ((stateBitmap(current) & allowed) === 0n) ctx.revert('GovernorUnexpectedProposalState', [proposalId, current, toBytes32(allowed)])
  return current
}
