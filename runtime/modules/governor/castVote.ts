import { bytesToBigInt, bytesToHex, hexToBytes } from '@ethereumjs/util'
import { AbiFunction, TypedData } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import { MODULE_GAS, words } from '../framework/gas.ts'
import { mappingSlot } from '../framework/slots.ts'
import type { ModuleContext } from '../framework/types.ts'
import { clock, getVotes } from './governorVotes.ts'
import { GOVERNOR_SLOTS, PROPOSAL_FIELDS, proposalSlot, readCore, readSettings, readTimes, writeTimes } from './governorStorage.ts'
import { stateBitmap } from '../framework/words.ts'
import { PROPOSAL_STATE, quorumReached, validateState } from './proposalState.ts'

/** GovernorCountingSimple.VoteType: the `support` values and the tally word each adds to. */
const TALLY_BY_SUPPORT = [PROPOSAL_FIELDS.againstVotes, PROPOSAL_FIELDS.forVotes, PROPOSAL_FIELDS.abstainVotes] as const

/** The governor's EIP-712 name and version (name(), version()). */
export const GOVERNOR_NAME = 'OpenLedgerGovernor'
export const GOVERNOR_VERSION = '1'

/** EIP-712 types of vote-by-signature (OZ Governor's BALLOT_TYPEHASH / EXTENDED_BALLOT_TYPEHASH). */
export const BALLOT_TYPES = {
  Ballot: [
    { name: 'proposalId', type: 'uint256' },
    { name: 'support', type: 'uint8' },
    { name: 'voter', type: 'address' },
    { name: 'nonce', type: 'uint256' },
  ],
  ExtendedBallot: [
    { name: 'proposalId', type: 'uint256' },
    { name: 'support', type: 'uint8' },
    { name: 'voter', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'reason', type: 'string' },
    { name: 'params', type: 'bytes' },
  ],
} as const

/** One ballot of castVote*. */
export type Ballot = { proposalId: bigint; support: number; voter: Hex; reason: string; params: Hex }

/**
 * OZ Governor `_castVote` with GovernorCountingSimple and GovernorPreventLateQuorum: the
 * proposal must be Active; the weight is the voter's votes at the snapshot; one vote per
 * account; the first vote that reaches quorum sets the extended deadline.
 */
export async function castVote(ctx: ModuleContext, ballot: Ballot): Promise<bigint> {
  const { proposalId, support, voter, reason, params } = ballot
  await validateState(ctx, proposalId, stateBitmap(PROPOSAL_STATE.Active))
  const base = proposalSlot(ctx, proposalId)
  const snapshot = (await readCore(ctx, base)).voteStart
  const weight = await getVotes(ctx, voter, snapshot)

  const voted = mappingSlot(ctx, GOVERNOR_SLOTS.hasVoted, proposalId, BigInt(voter))
  if ((await ctx.sload(voted)) !== 0n) ctx.revert('GovernorAlreadyCastVote', [voter])
  await ctx.sstore(voted, 1n)
  const tally = TALLY_BY_SUPPORT[support]
  if (tally === undefined) ctx.revert('GovernorInvalidVoteType')
  await ctx.sstore(base + tally, (await ctx.sload(base + tally)) + weight)

  if (params === '0x') ctx.emit('VoteCast', { voter, proposalId, support, weight, reason })
  else ctx.emit('VoteCastWithParams', { voter, proposalId, support, weight, reason, params })
  await tallyUpdated(ctx, proposalId, base)
  return weight
}

/** GovernorPreventLateQuorum `_tallyUpdated`. */
async function tallyUpdated(ctx: ModuleContext, proposalId: bigint, base: bigint): Promise<void> {
  const times = await readTimes(ctx, base)
  if (times.extendedDeadline !== 0n) return
  const core = await readCore(ctx, base)
  if (!(await quorumReached(ctx, base, core.voteStart))) return
  const extendedDeadline = (await clock(ctx)) + (await readSettings(ctx)).lateQuorumExtension
  if (extendedDeadline > core.voteStart + core.voteDuration) ctx.emit('ProposalExtended', { proposalId, extendedDeadline })
  await writeTimes(ctx, base, { ...times, extendedDeadline })
}

/** OZ Nonces `_useNonce`: the current nonce, then increment. */
async function useNonce(ctx: ModuleContext, owner: Hex): Promise<bigint> {
  const slot = mappingSlot(ctx, GOVERNOR_SLOTS.nonces, BigInt(owner))
  const nonce = await ctx.sload(slot)
  await ctx.sstore(slot, nonce + 1n)
  return nonce
}

const isValidSignature = AbiFunction.from('function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)')
const ERC1271_MAGIC = 0x1626ba7en

/**
 * The signed ballot's EIP-712 digest, consuming the voter's nonce, and OZ SignatureChecker:
 * a 65-byte ECDSA signature (low s, v 27/28) by the voter, or ERC-1271 approval by a contract
 * voter. (OZ picks one path by the voter's code size; a module cannot read code size, so ECDSA
 * is tried first; the two differ only for an EIP-7702 account that rejects its own key.)
 */
export async function validBallotSignature(ctx: ModuleContext, ballot: Ballot, extended: boolean, signature: Hex): Promise<boolean> {
  const nonce = await useNonce(ctx, ballot.voter)
  const message = { proposalId: ballot.proposalId, support: ballot.support, voter: ballot.voter, nonce, reason: ballot.reason, params: ballot.params }
  const domain = { name: GOVERNOR_NAME, version: GOVERNOR_VERSION, chainId: ctx.chainId, verifyingContract: ctx.self }
  const digest = hexToBytes(TypedData.getSignPayload({ domain, types: BALLOT_TYPES, primaryType: extended ? 'ExtendedBallot' : 'Ballot', message }))
  // the keccaks Solidity runs for this digest (the domain separator is cached there as here)
  const fields = extended ? 7 : 5
  let hashGas = 2n * MODULE_GAS.keccak + MODULE_GAS.keccakWord * (BigInt(fields) + words(66))
  if (extended)
    hashGas += 2n * MODULE_GAS.keccak + MODULE_GAS.keccakWord * (words(new TextEncoder().encode(ballot.reason).length) + words(ballot.params.length / 2 - 1))
  ctx.useGas(hashGas)

  const sig = hexToBytes(signature)
  if (sig.length === 65) {
    const signer = ctx.ecrecover(digest, sig[64]!, bytesToBigInt(sig.subarray(0, 32)), bytesToBigInt(sig.subarray(32, 64)))
    if (signer === ballot.voter) return true
  }
  const result = await ctx.staticcall(ballot.voter, hexToBytes(AbiFunction.encodeData(isValidSignature, [bytesToHex(digest) as Hex, signature])))
  return result.success && result.returnData.length >= 32 && bytesToBigInt(result.returnData.subarray(0, 4)) === ERC1271_MAGIC
}
