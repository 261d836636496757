import type { Hex } from '../../../genesis/index.ts'
import type { ModuleContext } from '../framework/types.ts'
import { gopenState } from './gopenState.ts'

/**
 * Add `delta` (negative: remove) voting units locked for `account`, e.g. by the vesting module
 * when a schedule is created (+) or releases OPEN (-): the OPEN votes without being wrapped.
 * Works on GOPEN's storage through `ctx.storageOf`, metered on the caller's gas: the account's
 * delegate gains / loses the votes (none while it has not delegated) and the total voting supply
 * (getPastTotalSupply) moves at ctx's clock.
 *
 * Going below zero or past 2^96 - 1 units (79e9 OPEN) is a bug of the caller and throws, which
 * halts its frame. The delegate's DelegateVotesChanged is logged at GOPEN's address (emitFrom),
 * so indexers such as Tally see locked votes move.
 *
 * @example
 * ```ts
 * await adjustLockedVotingUnits(ctx, beneficiary, -released)
 * ```
 */
export async function adjustLockedVotingUnits(ctx: ModuleContext, account: Hex, delta: bigint): Promise<void> {
  await gopenState(ctx).adjustLocked(account.toLowerCase() as Hex, delta)
}

/** The voting units locked for `account` (GOPEN's `lockedVotingUnitsOf`), read through `ctx.storageOf`. */
export function lockedVotingUnits(ctx: ModuleContext, account: Hex): Promise<bigint> {
  return gopenState(ctx).lockedUnits(account.toLowerCase() as Hex)
}
