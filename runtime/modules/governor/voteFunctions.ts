import { mappingSlot } from '../framework/slots.ts'
import type { ModuleFunction } from '../framework/types.ts'
import type { Hex } from '../../../genesis/index.ts'
import { Hash, Hex as OxHex } from 'ox'
import { type Ballot, castVote, GOVERNOR_NAME, GOVERNOR_VERSION, validBallotSignature } from './castVote.ts'
import { GOVERNOR_SLOTS, proposalSlot } from './governorStorage.ts'
import { clock, clockMode, getVotes, VOTES_TOKEN } from './governorVotes.ts'
import { proposalVotes } from './proposalState.ts'

const typehash = (type: string): Hex => Hash.keccak256(OxHex.fromString(type))

/** OZ Governor's public EIP-712 type hashes. */
export const BALLOT_TYPEHASH = typehash('Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)')
export const EXTENDED_BALLOT_TYPEHASH = typehash('ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)')

/** GovernorCountingSimple's COUNTING_MODE. */
export const COUNTING_MODE = 'support=bravo&quorum=for,abstain'

const vote = (voter: Hex, [proposalId, support, reason, params]: readonly unknown[]): Ballot => ({
  proposalId: proposalId as bigint,
  support: support as number,
  voter,
  reason: (reason as string | undefined) ?? '',
  params: (params as Hex | undefined) ?? '0x',
})

/**
 * Voting: the castVote family (GovernorCountingSimple tallies, EIP-712 ballots), the weights
 * read from the votes token (GovernorVotes) and the ERC-6372 clock mirrored from it.
 */
export const VOTE_FUNCTIONS: readonly ModuleFunction[] = [
  { abi: 'function COUNTING_MODE() view returns (string)', handler: async () => COUNTING_MODE },
  {
    abi: 'function castVote(uint256 proposalId, uint8 support) returns (uint256 balance)',
    handler: async (ctx, args) => castVote(ctx, vote(ctx.caller, args)),
  },
  {
    abi: 'function castVoteWithReason(uint256 proposalId, uint8 support, string reason) returns (uint256 balance)',
    handler: async (ctx, args) => castVote(ctx, vote(ctx.caller, args)),
  },
  {
    abi: 'function castVoteWithReasonAndParams(uint256 proposalId, uint8 support, string reason, bytes params) returns (uint256 balance)',
    handler: async (ctx, args) => castVote(ctx, vote(ctx.caller, args)),
  },
  {
    abi: 'function castVoteBySig(uint256 proposalId, uint8 support, address voter, bytes signature) returns (uint256 balance)',
    handler: async (ctx, [proposalId, support, voter, signature]) => {
      const ballot = vote(voter as Hex, [proposalId, support])
      if (!(await validBallotSignature(ctx, ballot, false, signature as Hex))) ctx.revert('GovernorInvalidSignature', [voter])
      return castVote(ctx, ballot)
    },
  },
  {
    abi: 'function castVoteWithReasonAndParamsBySig(uint256 proposalId, uint8 support, address voter, string reason, bytes params, bytes signature) returns (uint256 balance)',
    handler: async (ctx, [proposalId, support, voter, reason, params, signature]) => {
      const ballot = vote(voter as Hex, [proposalId, support, reason, params])
      if (!(await validBallotSignature(ctx, ballot, true, signature as Hex))) ctx.revert('GovernorInvalidSignature', [voter])
      return castVote(ctx, ballot)
    },
  },
  {
    abi: 'function hasVoted(uint256 proposalId, address account) view returns (bool)',
    handler: async (ctx, [proposalId, account]) =>
      (await ctx.sload(mappingSlot(ctx, GOVERNOR_SLOTS.hasVoted, proposalId as bigint, BigInt(account as Hex)))) !== 0n,
  },
  {
    abi: 'function proposalVotes(uint256 proposalId) view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)',
    handler: async (ctx, [proposalId]) => {
      const v = await proposalVotes(ctx, proposalSlot(ctx, proposalId as bigint))
      return [v.against, v.for, v.abstain]
    },
  },
  {
    abi: 'function getVotes(address account, uint256 timepoint) view returns (uint256)',
    handler: async (ctx, [account, timepoint]) => getVotes(ctx, account as Hex, timepoint as bigint),
  },
  {
    abi: 'function getVotesWithParams(address account, uint256 timepoint, bytes params) view returns (uint256)',
    handler: async (ctx, [account, timepoint]) => getVotes(ctx, account as Hex, timepoint as bigint),
  },
  {
    abi: 'function nonces(address owner) view returns (uint256)',
    handler: async (ctx, [owner]) => ctx.sload(mappingSlot(ctx, GOVERNOR_SLOTS.nonces, BigInt(owner as Hex))),
  },
  { abi: 'function BALLOT_TYPEHASH() view returns (bytes32)', handler: async () => BALLOT_TYPEHASH },
  { abi: 'function EXTENDED_BALLOT_TYPEHASH() view returns (bytes32)', handler: async () => EXTENDED_BALLOT_TYPEHASH },
  {
    abi: 'function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)',
    // 0x0f: name, version, chainId and verifyingContract are set (EIP-5267)
    handler: async (ctx) => ['0x0f', GOVERNOR_NAME, GOVERNOR_VERSION, ctx.chainId, ctx.self, `0x${'0'.repeat(64)}`, []],
  },
  { abi: 'function clock() view returns (uint48)', handler: async (ctx) => clock(ctx) },
  { abi: 'function CLOCK_MODE() view returns (string)', handler: async (ctx) => clockMode(ctx) },
  { abi: 'function token() view returns (address)', handler: async () => VOTES_TOKEN },
]
