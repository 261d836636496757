import { bytesToBigInt } from '@ethereumjs/util'
import { mappingSlot } from '../framework/slots.ts'
import { panic, PANIC } from '../framework/moduleCalls.ts'
import type { ModuleContext } from '../framework/types.ts'
import { GOVERNOR_SLOTS, packQueue, unpackQueue } from './governorStorage.ts'
import { TIMELOCK } from './proposalState.ts'

/**
 * OZ Governor's onlyGovernance with a timelock executor: `execute` whitelists the hash of each
 * calldata aimed at the governor in a queue; a governance-only function must be called by the
 * timelock with calldata at the queue's front (earlier entries are dropped; an empty queue is
 * Panic 0x31). Other timelock proposers, if governance ever adds some, cannot reach these
 * functions without a passed proposal.
 */
export async function pushGovernanceCall(ctx: ModuleContext, calldata: Uint8Array): Promise<void> {
  const { begin, end } = unpackQueue(await ctx.sload(GOVERNOR_SLOTS.governanceCalls))
  await ctx.sstore(mappingSlot(ctx, GOVERNOR_SLOTS.governanceCallItems, end), bytesToBigInt(ctx.keccak(calldata)))
  await ctx.sstore(GOVERNOR_SLOTS.governanceCalls, packQueue(begin, end + 1n))
}

/** Empty the queue after execution (OZ `clear`: the bounds are reset, the items stay). */
export async function clearGovernanceCalls(ctx: ModuleContext): Promise<void> {
  const { begin, end } = unpackQueue(await ctx.sload(GOVERNOR_SLOTS.governanceCalls))
  if (begin !== end) await ctx.sstore(GOVERNOR_SLOTS.governanceCalls, 0n)
}

/** OZ's `_checkGovernance` (the onlyGovernance modifier). */
export async function onlyGovernance(ctx: ModuleContext): Promise<void> {
  if (ctx.caller !== TIMELOCK) ctx.revert('GovernorOnlyExecutor', [ctx.caller])
  const hash = bytesToBigInt(ctx.keccak(ctx.calldata))
  let { begin, end } = unpackQueue(await ctx.sload(GOVERNOR_SLOTS.governanceCalls))
  for (;;) {
    if (begin === end) panic(ctx, PANIC.EMPTY_POP)
    const slot = mappingSlot(ctx, GOVERNOR_SLOTS.governanceCallItems, begin)
    const item = await ctx.sload(slot)
    await ctx.sstore(slot, 0n)
    begin += 1n
    if (item === hash) break
  }
  await ctx.sstore(GOVERNOR_SLOTS.governanceCalls, packQueue(begin, end))
}
