import { keccak_256 } from '@noble/hashes/sha3.js'
import type { ChainSpec, GovernanceSpec } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import { IERC1155_RECEIVER_INTERFACE_ID, tokenReceiverFunctions } from '../framework/tokenReceivers.ts'
import type { ModuleContext, ModuleFunction, RuntimeModuleDefinition } from '../framework/types.ts'
import { traceGenesisWords } from '../framework/trace208.ts'
import { GOVERNOR_NAME, GOVERNOR_VERSION } from './castVote.ts'
import { GOVERNOR_SLOTS, packSettings } from './governorStorage.ts'
import { QUORUM_DENOMINATOR } from './governorVotes.ts'
import { PROPOSAL_FUNCTIONS } from './proposalFunctions.ts'
import { SETTINGS_EVENTS, SETTINGS_FUNCTIONS } from './governorSettings.ts'
import { VOTE_FUNCTIONS } from './voteFunctions.ts'

/** type(IGovernor).interfaceId of OpenZeppelin 5.7 (checked against solc in the tests). */
export const IGOVERNOR_INTERFACE_ID = '0xcdbdfcee'
/** The IGovernor id before getProposalId was added (OZ still answers it). */
export const IGOVERNOR_LEGACY_INTERFACE_ID = '0x65455a86'
/**
 * type(IOpenLedgerGovernor).interfaceId: solc XORs only the functions an interface declares
 * itself (the extensions' functions here), where the framework's own id XORs all of them.
 */
export const IOPENLEDGER_GOVERNOR_INTERFACE_ID = '0x90aac363'

const EVENTS = [
  'event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)',
  'event ProposalQueued(uint256 proposalId, uint256 etaSeconds)',
  'event ProposalExecuted(uint256 proposalId)',
  'event ProposalCanceled(uint256 proposalId)',
  'event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason)',
  'event VoteCastWithParams(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason, bytes params)',
  'event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline)',
  'event EIP712DomainChanged()',
  ...SETTINGS_EVENTS,
] as const

const ERRORS = [
  'error GovernorInvalidProposalLength(uint256 targets, uint256 calldatas, uint256 values)',
  'error GovernorAlreadyCastVote(address voter)',
  'error GovernorDisabledDeposit()',
  'error GovernorOnlyExecutor(address account)',
  'error GovernorNonexistentProposal(uint256 proposalId)',
  'error GovernorUnexpectedProposalState(uint256 proposalId, uint8 current, bytes32 expectedStates)',
  'error GovernorInvalidVotingPeriod(uint256 votingPeriod)',
  'error GovernorInsufficientProposerVotes(address proposer, uint256 votes, uint256 threshold)',
  'error GovernorRestrictedProposer(address proposer)',
  'error GovernorInvalidVoteType()',
  'error GovernorInvalidVoteParams()',
  'error GovernorProposalQueueingNotRequired(uint256 proposalId)',
  'error GovernorProposalQueueingFailed(uint256 proposalId)',
  'error GovernorAlreadyQueuedProposal(uint256 proposalId)',
  'error GovernorInvalidSignature(address voter)',
  'error GovernorUnableToCancel(uint256 proposalId, address account)',
  'error GovernorInvalidQuorumFraction(uint256 quorumNumerator, uint256 quorumDenominator)',
  'error GovernorPreventLateQuorumVoteExtensionTooLarge(uint256 newVoteExtension, uint256 maxVoteExtension)',
  'error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)',
  'error FailedCall()',
] as const

/** Value and tokens sent to the governor are refused: its executor is the timelock (OZ Governor's receive and holder hooks). */
const refuseDeposit = (ctx: ModuleContext): never => ctx.revert('GovernorDisabledDeposit')

const BASE_FUNCTIONS: readonly ModuleFunction[] = [
  { abi: 'function name() view returns (string)', handler: async () => GOVERNOR_NAME },
  { abi: 'function version() view returns (string)', handler: async () => GOVERNOR_VERSION },
  ...tokenReceiverFunctions(refuseDeposit),
]

const MAX_UINT32 = (1n << 32n) - 1n
const MAX_UINT48 = (1n << 48n) - 1n

/** The genesis values OZ's constructors would refuse. */
function checkGovernanceSpec(g: GovernanceSpec): void {
  const fits = (name: string, v: bigint, max: bigint) => {
    if (v < 0n || v > max) throw new RangeError(`governance.${name} ${v} is out of range (0..${max})`)
  }
  if (g.votingPeriod === 0n) throw new RangeError('governance.votingPeriod must be at least 1 second')
  fits('votingDelay', g.votingDelay, MAX_UINT48)
  fits('votingPeriod', g.votingPeriod, MAX_UINT32)
  fits('lateQuorumExtension', g.lateQuorumExtension, g.votingPeriod)
  fits('gracePeriod', g.gracePeriod, MAX_UINT48)
  fits('quorumBps', BigInt(g.quorumBps), QUORUM_DENOMINATOR)
  fits('proposalThreshold', g.proposalThreshold, (1n << 256n) - 1n)
}

/**
 * The governor module: OpenZeppelin 5.7 Governor + GovernorSettings + GovernorCountingSimple +
 * GovernorStorage + GovernorVotes(QuorumFraction) + GovernorPreventLateQuorum +
 * GovernorTimelockControl as OpenLedgerGovernor composes them, in TypeScript. Votes come from
 * the GOPEN module; proposals execute through the timelock module; parameters start from
 * `spec.governance` (README.md in this folder).
 *
 * @example
 * const governor = governorModule(spec) // FACTORIES does this for every spec with `governance`
 */
export function governorModule(spec: ChainSpec): RuntimeModuleDefinition {
  return {
    name: 'governor',
    address: MODULE_ADDRESSES.governor,
    version: '1.0.0',
    interfaceName: 'IOpenLedgerGovernor',
    functions: [...BASE_FUNCTIONS, ...PROPOSAL_FUNCTIONS, ...VOTE_FUNCTIONS, ...SETTINGS_FUNCTIONS],
    events: EVENTS,
    errors: ERRORS,
    supportedInterfaces: [IGOVERNOR_INTERFACE_ID, IGOVERNOR_LEGACY_INTERFACE_ID, IOPENLEDGER_GOVERNOR_INTERFACE_ID, IERC1155_RECEIVER_INTERFACE_ID],
    genesis: () => {
      const g = spec.governance
      if (g === undefined) return { balance: 0n, storage: [] }
      checkGovernanceSpec(g)
      const settings = { votingDelay: g.votingDelay, votingPeriod: g.votingPeriod, lateQuorumExtension: g.lateQuorumExtension, gracePeriod: g.gracePeriod }
      return {
        balance: 0n,
        storage: [
          [GOVERNOR_SLOTS.settings, packSettings(settings)],
          [GOVERNOR_SLOTS.proposalThreshold, g.proposalThreshold],
          ...traceGenesisWords({ keccak: keccak_256 }, GOVERNOR_SLOTS.quorumNumerators, spec.timestamp, BigInt(g.quorumBps)),
        ],
      }
    },
    receive: async (ctx) => refuseDeposit(ctx),
  }
}
