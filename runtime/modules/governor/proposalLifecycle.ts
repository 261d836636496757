import { bytesToBigInt, bytesToHex, hexToBytes } from '@ethereumjs/util'
import { AbiFunction, AbiParameters } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import { callFunction } from '../framework/moduleCalls.ts'
import type { ModuleContext } from '../framework/types.ts'
import { hashOperationBatch } from '../timelock/timelockStorage.ts'
import { clearGovernanceCalls, pushGovernanceCall } from './governanceCalls.ts'
import { clock, getVotes } from './governorVotes.ts'
import { GOVERNOR_SLOTS, PROPOSAL_FIELDS, proposalSlot, readCore, readSettings, readTimes, writeCore, writeTimes } from './governorStorage.ts'
import { type ProposalDetails, storeDetails } from './proposalDetails.ts'
import { stateBitmap, toBytes32 } from '../framework/words.ts'
import { PROPOSAL_STATE, proposalState, TIMELOCK, validateState } from './proposalState.ts'

const PROPOSAL_PARAMS = AbiParameters.from(['address[]', 'uint256[]', 'bytes[]', 'bytes32'])
const MAX_UINT48 = (1n << 48n) - 1n

const TIMELOCK_FUNCTIONS = {
  getMinDelay: AbiFunction.from('function getMinDelay() view returns (uint256)'),
  scheduleBatch: AbiFunction.from(
    'function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay)',
  ),
  executeBatch: AbiFunction.from('function executeBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) payable'),
}

/** hashProposal: keccak256(abi.encode(targets, values, calldatas, descriptionHash)). */
export function hashProposal(ctx: Pick<ModuleContext, 'keccak'>, d: ProposalDetails): bigint {
  return bytesToBigInt(ctx.keccak(hexToBytes(AbiParameters.encode(PROPOSAL_PARAMS, [d.targets, d.values, d.calldatas, d.descriptionHash]))))
}

/**
 * OZ `_isValidDescriptionForProposer`: a description ending in "#proposer=0x" + 40 hex digits
 * may only be proposed by that address; any other ending leaves it open to everyone.
 */
export function isValidDescriptionForProposer(proposer: Hex, description: Uint8Array): boolean {
  const length = description.length
  if (length < 52) return true
  if (new TextDecoder().decode(description.subarray(length - 52, length - 42)) !== '#proposer=') return true
  const suffix = description.subarray(length - 42)
  if (suffix[0] !== 0x30 || suffix[1] !== 0x78) return true // "0x" (a lowercase x only, as Strings.tryParseAddress)
  const digits = new TextDecoder().decode(suffix.subarray(2))
  if (!/^[0-9a-fA-F]{40}$/.test(digits)) return true
  return `0x${digits.toLowerCase()}` === proposer
}

/** OZ Governor.propose with GovernorStorage (the caller is the proposer). */
export async function propose(ctx: ModuleContext, targets: Hex[], values: bigint[], calldatas: Hex[], description: string): Promise<bigint> {
  const proposer = ctx.caller
  const text = new TextEncoder().encode(description)
  // Strings.tryParseAddress reads the 42 suffix bytes one by one
  ctx.useGas(30n * 42n)
  if (!isValidDescriptionForProposer(proposer, text)) ctx.revert('GovernorRestrictedProposer', [proposer])
  const threshold = await ctx.sload(GOVERNOR_SLOTS.proposalThreshold)
  const now = await clock(ctx)
  if (threshold > 0n) {
    const votes = await getVotes(ctx, proposer, now - 1n)
    if (votes < threshold) ctx.revert('GovernorInsufficientProposerVotes', [proposer, votes, threshold])
  }

  const details = { targets, values, calldatas, descriptionHash: bytesToHex(ctx.keccak(text)) as Hex }
  const proposalId = hashProposal(ctx, details)
  if (targets.length !== values.length || targets.length !== calldatas.length || targets.length === 0) {
    ctx.revert('GovernorInvalidProposalLength', [BigInt(targets.length), BigInt(calldatas.length), BigInt(values.length)])
  }
  const base = proposalSlot(ctx, proposalId)
  if ((await readCore(ctx, base)).voteStart !== 0n) {
    ctx.revert('GovernorUnexpectedProposalState', [proposalId, await proposalState(ctx, proposalId), toBytes32(0n)])
  }
  const settings = await readSettings(ctx)
  const voteStart = now + settings.votingDelay
  if (voteStart > MAX_UINT48) ctx.revert('SafeCastOverflowedUintDowncast', [48, voteStart])
  await writeCore(ctx, base, { proposer, voteStart, voteDuration: settings.votingPeriod, executed: false, canceled: false })
  ctx.emit('ProposalCreated', {
    proposalId,
    proposer,
    targets,
    values,
    signatures: targets.map(() => ''),
    calldatas,
    voteStart,
    voteEnd: voteStart + settings.votingPeriod,
    description,
  })
  await storeDetails(ctx, proposalId, details)
  return proposalId
}

/** GovernorTimelockControl's salt: bytes20(governor) ^ descriptionHash. */
function timelockSalt(ctx: ModuleContext, descriptionHash: Hex): Hex {
  return toBytes32((BigInt(ctx.self) << 96n) ^ BigInt(descriptionHash))
}

/** Governor.queue with GovernorTimelockControl: schedule the batch in the timelock at its minimum delay. */
export async function queue(ctx: ModuleContext, d: ProposalDetails): Promise<bigint> {
  const proposalId = hashProposal(ctx, d)
  await validateState(ctx, proposalId, stateBitmap(PROPOSAL_STATE.Succeeded))
  const delay = (await callFunction(ctx, TIMELOCK, TIMELOCK_FUNCTIONS.getMinDelay)) as bigint
  const salt = timelockSalt(ctx, d.descriptionHash)
  const base = proposalSlot(ctx, proposalId)
  await ctx.sstore(base + PROPOSAL_FIELDS.timelockId, hashOperationBatch(ctx, d.targets, d.values, d.calldatas, toBytes32(0n), salt))
  await callFunction(ctx, TIMELOCK, TIMELOCK_FUNCTIONS.scheduleBatch, [d.targets, d.values, d.calldatas, toBytes32(0n), salt, delay])
  const eta = ctx.timestamp + delay
  if (eta > MAX_UINT48) ctx.revert('SafeCastOverflowedUintDowncast', [48, eta])
  await writeTimes(ctx, base, { ...(await readTimes(ctx, base)), eta })
  ctx.emit('ProposalQueued', { proposalId, etaSeconds: eta })
  return proposalId
}

/**
 * Governor.execute with GovernorTimelockControl: mark executed, whitelist the calls to the
 * governor itself for onlyGovernance, run the batch through the timelock (msg.value passed on).
 */
export async function execute(ctx: ModuleContext, d: ProposalDetails): Promise<bigint> {
  const proposalId = hashProposal(ctx, d)
  await validateState(ctx, proposalId, stateBitmap(PROPOSAL_STATE.Queued))
  const base = proposalSlot(ctx, proposalId)
  await writeCore(ctx, base, { ...(await readCore(ctx, base)), executed: true })
  for (let i = 0; i < d.targets.length; i++) if (d.targets[i] === ctx.self) await pushGovernanceCall(ctx, hexToBytes(d.calldatas[i]!))
  const salt = timelockSalt(ctx, d.descriptionHash)
  await callFunction(ctx, TIMELOCK, TIMELOCK_FUNCTIONS.executeBatch, [d.targets, d.values, d.calldatas, toBytes32(0n), salt], ctx.value)
  await ctx.sstore(base + PROPOSAL_FIELDS.timelockId, 0n)
  await clearGovernanceCalls(ctx)
  ctx.emit('ProposalExecuted', { proposalId })
  return proposalId
}

/** Governor.cancel: only the proposer, only while Pending (then OZ `_cancel` with the timelock's). */
export async function cancel(ctx: ModuleContext, d: ProposalDetails): Promise<bigint> {
  const proposalId = hashProposal(ctx, d)
  const base = proposalSlot(ctx, proposalId)
  const core = await readCore(ctx, base)
  if ((await proposalState(ctx, proposalId)) !== PROPOSAL_STATE.Pending || ctx.caller !== core.proposer) {
    ctx.revert('GovernorUnableToCancel', [proposalId, ctx.caller])
  }
  // only a Pending proposal gets here, so it has no timelock operation for GovernorTimelockControl's
  // `_cancel` to cancel as well
  await writeCore(ctx, base, { ...core, canceled: true })
  ctx.emit('ProposalCanceled', { proposalId })
  return proposalId
}
