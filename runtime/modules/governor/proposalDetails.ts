import { bigIntToBytes, bytesToBigInt, bytesToHex, hexToBytes, setLengthLeft, setLengthRight } from '@ethereumjs/util'
import type { Hex } from '../../../genesis/index.ts'
import { panic, PANIC } from '../framework/moduleCalls.ts'
import { addressWord, arraySlot, wordAddress } from '../framework/slots.ts'
import type { ModuleContext } from '../framework/types.ts'
import { GOVERNOR_SLOTS, PROPOSAL_FIELDS, proposalSlot } from './governorStorage.ts'
import { toBytes32 } from '../framework/words.ts'

/** A proposal's operations (OZ GovernorStorage.ProposalDetails). */
export type ProposalDetails = { targets: Hex[]; values: bigint[]; calldatas: Hex[]; descriptionHash: Hex }

/** Write `data` as a length word at `slot` and its 32-byte words from keccak(slot). */
async function storeBytes(ctx: ModuleContext, slot: bigint, data: Uint8Array): Promise<void> {
  await ctx.sstore(slot, BigInt(data.length))
  const start = arraySlot(ctx, slot)
  for (let i = 0; i < data.length; i += 32) {
    await ctx.sstore(start + BigInt(i / 32), bytesToBigInt(setLengthRight(data.subarray(i, i + 32), 32)))
  }
}

async function loadBytes(ctx: ModuleContext, slot: bigint): Promise<Uint8Array> {
  const length = Number(await ctx.sload(slot))
  const out = new Uint8Array(Math.ceil(length / 32) * 32)
  const start = arraySlot(ctx, slot)
  for (let i = 0; i < out.length; i += 32) out.set(setLengthLeft(bigIntToBytes(await ctx.sload(start + BigInt(i / 32))), 32), i)
  return out.subarray(0, length)
}

/** Store a new proposal's details and append its id to the enumeration (GovernorStorage._propose). */
export async function storeDetails(ctx: ModuleContext, proposalId: bigint, details: ProposalDetails): Promise<void> {
  const base = proposalSlot(ctx, proposalId)
  const count = BigInt(details.targets.length)
  const targets = arraySlot(ctx, base + PROPOSAL_FIELDS.targets)
  const values = arraySlot(ctx, base + PROPOSAL_FIELDS.values)
  const calldatas = arraySlot(ctx, base + PROPOSAL_FIELDS.calldatas)
  // one count for the three arrays: propose checked they have the same length
  await ctx.sstore(base + PROPOSAL_FIELDS.targets, count)
  for (let i = 0; i < details.targets.length; i++) {
    await ctx.sstore(targets + BigInt(i), addressWord(details.targets[i]!))
    await ctx.sstore(values + BigInt(i), details.values[i]!)
    await storeBytes(ctx, calldatas + BigInt(i), hexToBytes(details.calldatas[i]!))
  }
  await ctx.sstore(base + PROPOSAL_FIELDS.descriptionHash, BigInt(details.descriptionHash))
  const ids = await ctx.sload(GOVERNOR_SLOTS.proposalIds)
  await ctx.sstore(arraySlot(ctx, GOVERNOR_SLOTS.proposalIds) + ids, proposalId)
  await ctx.sstore(GOVERNOR_SLOTS.proposalIds, ids + 1n)
}

/** A stored proposal's details; GovernorNonexistentProposal for an unknown id. */
export async function loadDetails(ctx: ModuleContext, proposalId: bigint): Promise<ProposalDetails> {
  const base = proposalSlot(ctx, proposalId)
  const descriptionHash = await ctx.sload(base + PROPOSAL_FIELDS.descriptionHash)
  if (descriptionHash === 0n) ctx.revert('GovernorNonexistentProposal', [proposalId])
  const count = await ctx.sload(base + PROPOSAL_FIELDS.targets)
  const targets = arraySlot(ctx, base + PROPOSAL_FIELDS.targets)
  const values = arraySlot(ctx, base + PROPOSAL_FIELDS.values)
  const calldatas = arraySlot(ctx, base + PROPOSAL_FIELDS.calldatas)
  const out: ProposalDetails = { targets: [], values: [], calldatas: [], descriptionHash: toBytes32(descriptionHash) }
  for (let i = 0n; i < count; i++) {
    out.targets.push(wordAddress(await ctx.sload(targets + i)))
    out.values.push(await ctx.sload(values + i))
    out.calldatas.push(bytesToHex(await loadBytes(ctx, calldatas + i)) as Hex)
  }
  return out
}

/** GovernorStorage.proposalCount. */
export async function proposalCount(ctx: ModuleContext): Promise<bigint> {
  return ctx.sload(GOVERNOR_SLOTS.proposalIds)
}

/** The id of the `index`-th proposal (Panic 0x32 past the end, as a Solidity array read). */
export async function proposalIdAt(ctx: ModuleContext, index: bigint): Promise<bigint> {
  if (index >= (await proposalCount(ctx))) panic(ctx, PANIC.OUT_OF_BOUNDS)
  return ctx.sload(arraySlot(ctx, GOVERNOR_SLOTS.proposalIds) + index)
}
