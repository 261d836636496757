import { vestedAmount, vestingSchedules } from '../../../genesis/index.ts'
import type { ChainSpec, Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import type { ModuleContext, RuntimeModuleDefinition } from '../framework/types.ts'
import { textToBytes32 } from '../framework/words.ts'
import { VESTING_ERRORS, VESTING_EVENTS, VESTING_FUNCTIONS } from './vestingAbi.ts'
import { vestingGenesisStorage, vestingStore } from './vestingStorage.ts'
import type { Schedule, VestingScheduleInit } from './vestingStorage.ts'

/**
 * How vesting tells governance that OPEN it holds for an account changed: locked OPEN carries
 * voting power without being wrapped (GOPEN counts it as the beneficiary's voting units).
 */
export type LockedVotes = (ctx: ModuleContext, account: Hex, delta: bigint) => Promise<void>

/** Options of {@link vestingModule}. */
export type VestingModuleOptions = {
  /** moves voting units of locked OPEN (GOPEN's adjustLockedVotingUnits) */
  lockedVotes: LockedVotes
}

/** The genesis schedules of a spec's tokenomics table, in table order (ids 0, 1, ...). */
export function genesisSchedules(spec: ChainSpec): VestingScheduleInit[] {
  if (spec.tokenomics === undefined) return []
  return vestingSchedules(spec.tokenomics).map((s) => ({
    beneficiary: s.beneficiary.toLowerCase() as Hex,
    amount: s.amount,
    start: s.start,
    cliff: s.cliff,
    duration: s.duration,
    revocable: s.revocable,
    bucket: textToBytes32(s.bucket),
  }))
}

/** Beneficiaries' locked OPEN that carries votes at genesis (every schedule but the timelock's), summed per account in schedule order. */
export function genesisLockedVotes(spec: ChainSpec): { account: Hex; amount: bigint }[] {
  const sums = new Map<Hex, bigint>()
  for (const s of genesisSchedules(spec)) if (votesFor(s.beneficiary)) sums.set(s.beneficiary, (sums.get(s.beneficiary) ?? 0n) + s.amount)
  return [...sums].map(([account, amount]) => ({ account, amount }))
}

const vested = (s: Schedule, t: bigint) => (s.revoked ? s.amount : vestedAmount(s.amount, s.start, s.cliff, s.duration, t))

/** The governance timelock: the only account that creates and revokes schedules. */
const GOVERNANCE = MODULE_ADDRESSES.timelock

/**
 * Schedules earn voting units for their beneficiary, except those of the governance timelock:
 * the treasury does not vote on its own spending.
 */
const votesFor = (beneficiary: Hex) => beneficiary !== GOVERNANCE

/**
 * The vesting module: OPEN held by the module under linear schedules with a cliff (the block
 * timestamp is the clock), released to beneficiaries by anyone's call; governance (the timelock)
 * funds new schedules with the OPEN it sends and revokes revocable ones (only the unvested part
 * returns to it).
 */
export function vestingModule(spec: ChainSpec, options: VestingModuleOptions): RuntimeModuleDefinition {
  const { lockedVotes } = options

  const release = async (ctx: ModuleContext, ids: readonly bigint[]): Promise<bigint> => {
    const store = vestingStore(ctx)
    let total = 0n
    const payouts = new Map<Hex, bigint>()
    for (const id of ids) {
      const s = await store.require(id)
      const amount = vested(s, ctx.timestamp) - s.released
      if (amount === 0n) continue
      await store.put(id, { ...s, released: s.released + amount }, s)
      ctx.emit('Released', { id, beneficiary: s.beneficiary, amount })
      if (votesFor(s.beneficiary)) await lockedVotes(ctx, s.beneficiary, -amount)
      payouts.set(s.beneficiary, (payouts.get(s.beneficiary) ?? 0n) + amount)
      total += amount
    }
    if (total === 0n) ctx.revert('VestingNothingToRelease')
    for (const [beneficiary, amount] of payouts) {
      const sent = await ctx.call(beneficiary, amount, new Uint8Array(0))
      if (!sent.success) ctx.revert('VestingTransferFailed', [beneficiary, amount])
    }
    return total
  }

  const sumOver = async (ctx: ModuleContext, account: Hex, f: (s: Schedule) => bigint): Promise<bigint> => {
    const store = vestingStore(ctx)
    let sum = 0n
    for (const id of await store.idsOf(account)) {
      const s = await store.get(id)
      if (s !== undefined) sum += f(s)
    }
    return sum
  }

  const onlyGovernance = (ctx: ModuleContext) => {
    if (ctx.caller !== GOVERNANCE) ctx.revert('VestingUnauthorized', [ctx.caller])
  }

  const handlers: Record<string, (ctx: ModuleContext, args: readonly unknown[]) => Promise<unknown>> = {
    scheduleCount: (ctx) => vestingStore(ctx).count(),
    getSchedule: async (ctx, [id]) => {
      const s = await vestingStore(ctx).require(id as bigint)
      return [s.beneficiary, s.amount, s.released, s.start, s.cliff, s.duration, s.revocable, s.revoked, s.bucket]
    },
    schedulesOf: (ctx, [account]) => vestingStore(ctx).idsOf(account as Hex),
    vestedAmountOf: (ctx, [account, timestamp]) => sumOver(ctx, account as Hex, (s) => vested(s, timestamp as bigint)),
    vestedAmount: async (ctx, [id, timestamp]) => {
      const s = await vestingStore(ctx).require(id as bigint)
      return vested(s, timestamp as bigint)
    },
    releasable: async (ctx, [id]) => {
      const s = await vestingStore(ctx).require(id as bigint)
      return vested(s, ctx.timestamp) - s.released
    },
    releasableOf: (ctx, [account]) => sumOver(ctx, account as Hex, (s) => vested(s, ctx.timestamp) - s.released),
    lockedOf: (ctx, [account]) => sumOver(ctx, account as Hex, (s) => s.amount - s.released),
    totals: async (ctx) => {
      const store = vestingStore(ctx)
      const count = await store.count()
      let scheduled = 0n
      let released = 0n
      let unvested = 0n
      for (let id = 0n; id < count; id++) {
        const s = (await store.get(id)) as Schedule
        scheduled += s.amount
        released += s.released
        unvested += s.amount - vested(s, ctx.timestamp)
      }
      return [scheduled, released, unvested]
    },
    release: async (ctx, [id]) => release(ctx, [id as bigint]),
    releaseAll: async (ctx) => release(ctx, await vestingStore(ctx).idsOf(ctx.caller)),
    createSchedule: async (ctx, [beneficiary, start, cliff, duration, revocable, bucket]) => {
      onlyGovernance(ctx)
      const [b, st, cl, du] = [beneficiary as Hex, start as bigint, cliff as bigint, duration as bigint]
      if (ctx.value === 0n || du === 0n || cl < st || cl > st + du || b === '0x0000000000000000000000000000000000000000') ctx.revert('VestingInvalidSchedule')
      const store = vestingStore(ctx)
      const id = await store.count()
      const s: Schedule = {
        beneficiary: b,
        amount: ctx.value,
        released: 0n,
        start: st,
        cliff: cl,
        duration: du,
        revocable: revocable as boolean,
        revoked: false,
        bucket: bucket as Hex,
      }
      await store.put(id, s)
      await store.setCount(id + 1n)
      await store.addId(b, id)
      if (votesFor(b)) await lockedVotes(ctx, b, ctx.value)
      ctx.emit('ScheduleCreated', { id, beneficiary: b, bucket, amount: ctx.value, start: st, cliff: cl, duration: du, revocable })
      return id
    },
    revoke: async (ctx, [id]) => {
      onlyGovernance(ctx)
      const store = vestingStore(ctx)
      const s = await store.require(id as bigint)
      if (!s.revocable) ctx.revert('VestingNotRevocable', [id])
      if (s.revoked) ctx.revert('VestingAlreadyRevoked', [id])
      const keep = vested(s, ctx.timestamp)
      const refunded = s.amount - keep
      await store.put(id as bigint, { ...s, amount: keep, revoked: true }, s)
      if (votesFor(s.beneficiary) && refunded > 0n) await lockedVotes(ctx, s.beneficiary, -refunded)
      ctx.emit('Revoked', { id, beneficiary: s.beneficiary, refunded, vested: keep })
      if (refunded > 0n) {
        const sent = await ctx.call(GOVERNANCE, refunded, new Uint8Array(0))
        if (!sent.success) ctx.revert('VestingTransferFailed', [GOVERNANCE, refunded])
      }
      return refunded
    },
  }

  return {
    name: 'vesting',
    address: MODULE_ADDRESSES.vesting,
    version: '1.0.0',
    interfaceName: 'IVesting',
    functions: VESTING_FUNCTIONS.map(([abi, name]) => ({ abi, handler: handlers[name] as (typeof handlers)[string] })),
    events: VESTING_EVENTS,
    errors: VESTING_ERRORS,
    genesis: () => {
      const schedules = genesisSchedules(spec)
      return { balance: schedules.reduce((sum, s) => sum + s.amount, 0n), storage: vestingGenesisStorage(schedules) }
    },
  }
}
