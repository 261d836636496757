import { hexToBytes } from '@ethereumjs/util'
import type { Hex } from '../../../genesis/index.ts'
import { verifyCallResult } from '../framework/moduleCalls.ts'
import type { ModuleFunction } from '../framework/types.ts'
import { openTrace } from '../framework/trace208.ts'
import { onlyGovernance } from './governanceCalls.ts'
import { GOVERNOR_SLOTS, readSettings, updateSettings } from './governorStorage.ts'
import { clock, QUORUM_DENOMINATOR, quorum, quorumNumeratorAt } from './governorVotes.ts'

/** Events of the governance-only setters (GovernorSettings, QuorumFraction, PreventLateQuorum). */
export const SETTINGS_EVENTS = [
  'event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay)',
  'event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod)',
  'event ProposalThresholdSet(uint256 oldProposalThreshold, uint256 newProposalThreshold)',
  'event QuorumNumeratorUpdated(uint256 oldQuorumNumerator, uint256 newQuorumNumerator)',
  'event LateQuorumVoteExtensionSet(uint64 oldVoteExtension, uint64 newVoteExtension)',
] as const

/**
 * GovernorSettings, GovernorVotesQuorumFraction and GovernorPreventLateQuorum: the parameters
 * and their onlyGovernance setters (reached only by a passed proposal through the timelock),
 * and Governor.relay.
 */
export const SETTINGS_FUNCTIONS: readonly ModuleFunction[] = [
  { abi: 'function votingDelay() view returns (uint256)', handler: async (ctx) => (await readSettings(ctx)).votingDelay },
  { abi: 'function votingPeriod() view returns (uint256)', handler: async (ctx) => (await readSettings(ctx)).votingPeriod },
  { abi: 'function proposalThreshold() view returns (uint256)', handler: async (ctx) => ctx.sload(GOVERNOR_SLOTS.proposalThreshold) },
  { abi: 'function lateQuorumVoteExtension() view returns (uint48)', handler: async (ctx) => (await readSettings(ctx)).lateQuorumExtension },
  {
    abi: 'function quorumNumerator() view returns (uint256)',
    handler: async (ctx) => openTrace(ctx, ctx, GOVERNOR_SLOTS.quorumNumerators).latest(),
  },
  { abi: 'function quorumNumerator(uint256 timepoint) view returns (uint256)', handler: async (ctx, [t]) => quorumNumeratorAt(ctx, t as bigint) },
  { abi: 'function quorumDenominator() view returns (uint256)', handler: async () => QUORUM_DENOMINATOR },
  { abi: 'function quorum(uint256 timepoint) view returns (uint256)', handler: async (ctx, [t]) => quorum(ctx, t as bigint) },
  {
    abi: 'function setVotingDelay(uint48 newVotingDelay)',
    handler: async (ctx, [value]) => {
      await onlyGovernance(ctx)
      const old = await updateSettings(ctx, { votingDelay: BigInt(value as number) })
      ctx.emit('VotingDelaySet', { oldVotingDelay: old.votingDelay, newVotingDelay: value })
    },
  },
  {
    abi: 'function setVotingPeriod(uint32 newVotingPeriod)',
    handler: async (ctx, [value]) => {
      await onlyGovernance(ctx)
      if (value === 0) ctx.revert('GovernorInvalidVotingPeriod', [0n])
      const old = await updateSettings(ctx, { votingPeriod: BigInt(value as number) })
      ctx.emit('VotingPeriodSet', { oldVotingPeriod: old.votingPeriod, newVotingPeriod: value })
    },
  },
  {
    abi: 'function setProposalThreshold(uint256 newProposalThreshold)',
    handler: async (ctx, [value]) => {
      await onlyGovernance(ctx)
      const old = await ctx.sload(GOVERNOR_SLOTS.proposalThreshold)
      await ctx.sstore(GOVERNOR_SLOTS.proposalThreshold, value as bigint)
      ctx.emit('ProposalThresholdSet', { oldProposalThreshold: old, newProposalThreshold: value })
    },
  },
  {
    abi: 'function updateQuorumNumerator(uint256 newQuorumNumerator)',
    handler: async (ctx, [value]) => {
      await onlyGovernance(ctx)
      if ((value as bigint) > QUORUM_DENOMINATOR) ctx.revert('GovernorInvalidQuorumFraction', [value, QUORUM_DENOMINATOR])
      const numerators = openTrace(ctx, ctx, GOVERNOR_SLOTS.quorumNumerators)
      // OZ reads quorumNumerator() before it pushes
      const old = await numerators.latest()
      await numerators.push(await clock(ctx), () => value as bigint)
      ctx.emit('QuorumNumeratorUpdated', { oldQuorumNumerator: old, newQuorumNumerator: value })
    },
  },
  {
    abi: 'function setLateQuorumVoteExtension(uint48 newVoteExtension)',
    handler: async (ctx, [value]) => {
      await onlyGovernance(ctx)
      const extension = BigInt(value as number)
      const settings = await readSettings(ctx)
      if (extension > settings.votingPeriod) ctx.revert('GovernorPreventLateQuorumVoteExtensionTooLarge', [extension, settings.votingPeriod])
      await updateSettings(ctx, { lateQuorumExtension: extension })
      ctx.emit('LateQuorumVoteExtensionSet', { oldVoteExtension: settings.lateQuorumExtension, newVoteExtension: extension })
    },
  },
  {
    abi: 'function relay(address target, uint256 value, bytes data) payable',
    handler: async (ctx, [target, value, data]) => {
      await onlyGovernance(ctx)
      verifyCallResult(ctx, await ctx.call(target as Hex, value as bigint, hexToBytes(data as Hex)))
    },
  },
]
