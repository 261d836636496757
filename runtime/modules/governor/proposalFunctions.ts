import type { Hex } from '../../../genesis/index.ts'
import type { ModuleFunction } from '../framework/types.ts'
import { proposalSlot, readCore, readTimes } from './governorStorage.ts'
import { type ProposalDetails, loadDetails, proposalCount, proposalIdAt } from './proposalDetails.ts'
import { cancel, execute, hashProposal, propose, queue } from './proposalLifecycle.ts'
import { proposalDeadline, proposalState, TIMELOCK } from './proposalState.ts'

const OPERATIONS = 'address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash'

const details = ([targets, values, calldatas, descriptionHash]: readonly unknown[]): ProposalDetails => ({
  targets: targets as Hex[],
  values: values as bigint[],
  calldatas: calldatas as Hex[],
  descriptionHash: descriptionHash as Hex,
})

const asTuple = (d: ProposalDetails) => [d.targets, d.values, d.calldatas, d.descriptionHash]

/**
 * Proposals: IGovernor's lifecycle (propose, queue and execute through the timelock, cancel),
 * its views, and GovernorStorage's enumeration and by-id operations.
 */
export const PROPOSAL_FUNCTIONS: readonly ModuleFunction[] = [
  { abi: `function hashProposal(${OPERATIONS}) pure returns (uint256)`, handler: async (ctx, args) => hashProposal(ctx, details(args)) },
  { abi: `function getProposalId(${OPERATIONS}) view returns (uint256)`, handler: async (ctx, args) => hashProposal(ctx, details(args)) },
  { abi: 'function state(uint256 proposalId) view returns (uint8)', handler: async (ctx, [id]) => proposalState(ctx, id as bigint) },
  {
    abi: 'function proposalSnapshot(uint256 proposalId) view returns (uint256)',
    handler: async (ctx, [id]) => (await readCore(ctx, proposalSlot(ctx, id as bigint))).voteStart,
  },
  {
    abi: 'function proposalDeadline(uint256 proposalId) view returns (uint256)',
    handler: async (ctx, [id]) => {
      const base = proposalSlot(ctx, id as bigint)
      return proposalDeadline(ctx, base, await readCore(ctx, base))
    },
  },
  {
    abi: 'function proposalProposer(uint256 proposalId) view returns (address)',
    handler: async (ctx, [id]) => (await readCore(ctx, proposalSlot(ctx, id as bigint))).proposer,
  },
  {
    abi: 'function proposalEta(uint256 proposalId) view returns (uint256)',
    handler: async (ctx, [id]) => (await readTimes(ctx, proposalSlot(ctx, id as bigint))).eta,
  },
  { abi: 'function proposalNeedsQueuing(uint256 proposalId) view returns (bool)', handler: async () => true },
  {
    abi: 'function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256 proposalId)',
    handler: async (ctx, [targets, values, calldatas, description]) =>
      propose(ctx, targets as Hex[], values as bigint[], calldatas as Hex[], description as string),
  },
  { abi: `function queue(${OPERATIONS}) returns (uint256 proposalId)`, handler: async (ctx, args) => queue(ctx, details(args)) },
  { abi: `function execute(${OPERATIONS}) payable returns (uint256 proposalId)`, handler: async (ctx, args) => execute(ctx, details(args)) },
  { abi: `function cancel(${OPERATIONS}) returns (uint256 proposalId)`, handler: async (ctx, args) => cancel(ctx, details(args)) },
  { abi: 'function queue(uint256 proposalId)', handler: async (ctx, [id]) => void (await queue(ctx, await loadDetails(ctx, id as bigint))) },
  { abi: 'function execute(uint256 proposalId) payable', handler: async (ctx, [id]) => void (await execute(ctx, await loadDetails(ctx, id as bigint))) },
  { abi: 'function cancel(uint256 proposalId)', handler: async (ctx, [id]) => void (await cancel(ctx, await loadDetails(ctx, id as bigint))) },
  { abi: 'function proposalCount() view returns (uint256)', handler: async (ctx) => proposalCount(ctx) },
  {
    abi: 'function proposalDetails(uint256 proposalId) view returns (address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash)',
    handler: async (ctx, [id]) => asTuple(await loadDetails(ctx, id as bigint)),
  },
  {
    abi: 'function proposalDetailsAt(uint256 index) view returns (uint256 proposalId, address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash)',
    handler: async (ctx, [index]) => {
      const id = await proposalIdAt(ctx, index as bigint)
      return [id, ...asTuple(await loadDetails(ctx, id))]
    },
  },
  { abi: 'function timelock() view returns (address)', handler: async () => TIMELOCK },
]
