import type { Hex } from '../../../genesis/index.ts'
import { addressWord, mappingSlot, wordAddress } from '../framework/slots.ts'
import type { ModuleContext } from '../framework/types.ts'

/**
 * The governor's storage (README.md, "Storage"). Words pack several fields where OZ's Solidity
 * packs them too, so a function reads about as many slots as OpenZeppelin's Governor does.
 */
export const GOVERNOR_SLOTS = {
  /** votingDelay uint48 | votingPeriod uint32 << 48 | lateQuorumExtension uint48 << 80 | gracePeriod uint48 << 128 */
  settings: 0n,
  proposalThreshold: 1n,
  /** checkpoints of the quorum numerator (OZ Trace208): length; items at keccak(slot) */
  quorumNumerators: 2n,
  /** GovernorStorage's proposal ids: length; items at keccak(slot) */
  proposalIds: 3n,
  /** onlyGovernance queue (OZ DoubleEndedQueue): begin uint128 | end uint128 << 128 */
  governanceCalls: 4n,
  /** mapping(uint256 index => bytes32 calldata hash) of that queue */
  governanceCallItems: 5n,
  /** mapping(uint256 proposalId => Proposal), Proposal = the PROPOSAL_FIELDS words */
  proposals: 6n,
  /** mapping(uint256 proposalId => mapping(address voter => bool)) */
  hasVoted: 7n,
  /** mapping(address => uint256) EIP-712 vote nonces */
  nonces: 8n,
} as const

/** Word offsets of one proposal from its mapping slot. */
export const PROPOSAL_FIELDS = {
  /** proposer address | voteStart uint48 << 160 | voteDuration uint32 << 208 | executed << 240 | canceled << 248 */
  core: 0n,
  /** etaSeconds uint48 | extended deadline uint48 << 48 (GovernorPreventLateQuorum) */
  eta: 1n,
  /** the timelock operation id while queued (GovernorTimelockControl) */
  timelockId: 2n,
  againstVotes: 3n,
  forVotes: 4n,
  abstainVotes: 5n,
  /** GovernorStorage: the number of operations; target addresses at keccak(slot) */
  targets: 6n,
  /** GovernorStorage: values at keccak(slot) (the count is the targets word) */
  values: 7n,
  /** GovernorStorage: calldatas from keccak(slot), one word each holding the byte length, its data at keccak(that word's slot) */
  calldatas: 8n,
  descriptionHash: 9n,
} as const

const U32 = (1n << 32n) - 1n
const U48 = (1n << 48n) - 1n
const U128 = (1n << 128n) - 1n

/** The governor's parameters held in the settings word. */
export type GovernorSettings = {
  votingDelay: bigint
  votingPeriod: bigint
  lateQuorumExtension: bigint
  gracePeriod: bigint
}

/** One settings word from its fields (each must fit its width: uint48 / uint32 / uint48 / uint48). */
export function packSettings(s: GovernorSettings): bigint {
  return (s.votingDelay & U48) | ((s.votingPeriod & U32) << 48n) | ((s.lateQuorumExtension & U48) << 80n) | ((s.gracePeriod & U48) << 128n)
}

export function unpackSettings(word: bigint): GovernorSettings {
  return { votingDelay: word & U48, votingPeriod: (word >> 48n) & U32, lateQuorumExtension: (word >> 80n) & U48, gracePeriod: (word >> 128n) & U48 }
}

export async function readSettings(ctx: ModuleContext): Promise<GovernorSettings> {
  return unpackSettings(await ctx.sload(GOVERNOR_SLOTS.settings))
}

/** Change some settings, keeping the others; returns the settings before the change. */
export async function updateSettings(ctx: ModuleContext, change: Partial<GovernorSettings>): Promise<GovernorSettings> {
  const old = await readSettings(ctx)
  await ctx.sstore(GOVERNOR_SLOTS.settings, packSettings({ ...old, ...change }))
  return old
}

/** OZ's ProposalCore. */
export type ProposalCore = { proposer: Hex; voteStart: bigint; voteDuration: bigint; executed: boolean; canceled: boolean }

export function packCore(c: ProposalCore): bigint {
  return addressWord(c.proposer) | (c.voteStart << 160n) | (c.voteDuration << 208n) | (c.executed ? 1n << 240n : 0n) | (c.canceled ? 1n << 248n : 0n)
}

export function unpackCore(word: bigint): ProposalCore {
  return {
    proposer: wordAddress(word),
    voteStart: (word >> 160n) & U48,
    voteDuration: (word >> 208n) & U32,
    executed: ((word >> 240n) & 0xffn) !== 0n,
    canceled: ((word >> 248n) & 0xffn) !== 0n,
  }
}

/** The first slot of a proposal's words (add a PROPOSAL_FIELDS offset). */
export function proposalSlot(ctx: ModuleContext, proposalId: bigint): bigint {
  return mappingSlot(ctx, GOVERNOR_SLOTS.proposals, proposalId)
}

export async function readCore(ctx: ModuleContext, base: bigint): Promise<ProposalCore> {
  return unpackCore(await ctx.sload(base + PROPOSAL_FIELDS.core))
}

export async function writeCore(ctx: ModuleContext, base: bigint, core: ProposalCore): Promise<void> {
  await ctx.sstore(base + PROPOSAL_FIELDS.core, packCore(core))
}

/** etaSeconds and the late-quorum extended deadline (0 = none yet). */
export type ProposalTimes = { eta: bigint; extendedDeadline: bigint }

export async function readTimes(ctx: ModuleContext, base: bigint): Promise<ProposalTimes> {
  const word = await ctx.sload(base + PROPOSAL_FIELDS.eta)
  return { eta: word & U48, extendedDeadline: (word >> 48n) & U48 }
}

export async function writeTimes(ctx: ModuleContext, base: bigint, times: ProposalTimes): Promise<void> {
  await ctx.sstore(base + PROPOSAL_FIELDS.eta, (times.eta & U48) | ((times.extendedDeadline & U48) << 48n))
}

/** The onlyGovernance queue's bounds. */
export function unpackQueue(word: bigint): { begin: bigint; end: bigint } {
  return { begin: word & U128, end: word >> 128n }
}

export function packQueue(begin: bigint, end: bigint): bigint {
  return begin | (end << 128n)
}
