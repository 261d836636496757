import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Hex } from '../../../genesis/index.ts'
import { addressWord, arraySlot, mappingSlot, wordAddress } from '../framework/slots.ts'
import type { ModuleContext, ModuleStorage } from '../framework/types.ts'
import { toBytes32 } from '../framework/words.ts'

/**
 * Storage layout of the vesting module (Solidity-style, so tools that read slots find it):
 * slot 0 schedule count; mapping(uint256 id => Schedule) at slot 1, four words per schedule;
 * mapping(address => uint256[]) schedule ids per beneficiary at slot 2.
 *   word 0: beneficiary (bits 0-159) | revocable (bit 160) | revoked (bit 161)
 *   word 1: amount (bits 0-127) | released (bits 128-255)
 *   word 2: start (bits 0-63) | cliff (bits 64-127) | duration (bits 128-191), seconds
 *   word 3: bucket (bytes32, the tokenomics bucket name or a governance label)
 */
export const VESTING_SLOTS = { count: 0n, schedules: 1n, byBeneficiary: 2n } as const

const U64 = (1n << 64n) - 1n
const U128 = (1n << 128n) - 1n
const REVOCABLE = 1n << 160n
const REVOKED = 1n << 161n

/** One vesting schedule as stored. */
export type Schedule = {
  beneficiary: Hex
  amount: bigint
  released: bigint
  start: bigint
  cliff: bigint
  duration: bigint
  revocable: boolean
  revoked: boolean
  bucket: Hex
}

/** The four storage words of a schedule. */
export function encodeSchedule(s: Schedule): [bigint, bigint, bigint, bigint] {
  return [
    addressWord(s.beneficiary) | (s.revocable ? REVOCABLE : 0n) | (s.revoked ? REVOKED : 0n),
    (s.amount & U128) | (s.released << 128n),
    (s.start & U64) | ((s.cliff & U64) << 64n) | ((s.duration & U64) << 128n),
    BigInt(s.bucket),
  ]
}

export function decodeSchedule(w: readonly bigint[]): Schedule {
  const [w0 = 0n, w1 = 0n, w2 = 0n, w3 = 0n] = w
  return {
    beneficiary: wordAddress(w0),
    revocable: (w0 & REVOCABLE) !== 0n,
    revoked: (w0 & REVOKED) !== 0n,
    amount: w1 & U128,
    released: w1 >> 128n,
    start: w2 & U64,
    cliff: (w2 >> 64n) & U64,
    duration: (w2 >> 128n) & U64,
    bucket: toBytes32(w3),
  }
}

/** Typed access to the layout through a module context (metered). */
export function vestingStore(ctx: ModuleContext, storage: ModuleStorage = ctx) {
  const scheduleBase = (id: bigint) => mappingSlot(ctx, VESTING_SLOTS.schedules, id)
  const listSlot = (account: Hex) => mappingSlot(ctx, VESTING_SLOTS.byBeneficiary, addressWord(account))
  return {
    count: () => storage.sload(VESTING_SLOTS.count),
    setCount: (n: bigint) => storage.sstore(VESTING_SLOTS.count, n),
    /** the schedule, or undefined for an id never created */
    async get(id: bigint): Promise<Schedule | undefined> {
      if (id >= (await storage.sload(VESTING_SLOTS.count))) return undefined
      const base = scheduleBase(id)
      const words: bigint[] = []
      for (let i = 0n; i < 4n; i++) words.push(await storage.sload(base + i))
      return decodeSchedule(words)
    },
    /** the schedule, or a VestingUnknownSchedule revert */
    async require(id: bigint): Promise<Schedule> {
      return (await this.get(id)) ?? ctx.revert('VestingUnknownSchedule', [id])
    },
    /** write only the words that changed (as Solidity writes single struct fields) */
    async put(id: bigint, next: Schedule, previous?: Schedule): Promise<void> {
      const base = scheduleBase(id)
      const after = encodeSchedule(next)
      const before = previous === undefined ? undefined : encodeSchedule(previous)
      for (let i = 0; i < 4; i++) if (before === undefined || before[i] !== after[i]) await storage.sstore(base + BigInt(i), after[i] as bigint)
    },
    async idsOf(account: Hex): Promise<bigint[]> {
      const slot = listSlot(account)
      const length = await storage.sload(slot)
      const data = arraySlot(ctx, slot)
      const ids: bigint[] = []
      for (let i = 0n; i < length; i++) ids.push(await storage.sload(data + i))
      return ids
    },
    async addId(account: Hex, id: bigint): Promise<void> {
      const slot = listSlot(account)
      const length = await storage.sload(slot)
      await storage.sstore(arraySlot(ctx, slot) + length, id)
      await storage.sstore(slot, length + 1n)
    },
  }
}

/** Unmetered keccak for genesis storage (no frame exists yet). */
const genesisHasher = { keccak: (data: Uint8Array) => keccak_256(data) }

/** Genesis schedules, in the order they get ids 0, 1, ... */
export type VestingScheduleInit = Omit<Schedule, 'released' | 'revoked'>

/** Storage words of the vesting module holding `schedules` at genesis. */
export function vestingGenesisStorage(schedules: readonly VestingScheduleInit[]): Array<[bigint, bigint]> {
  const words = new Map<bigint, bigint>()
  const lists = new Map<Hex, bigint[]>()
  schedules.forEach((s, i) => {
    const id = BigInt(i)
    const base = mappingSlot(genesisHasher, VESTING_SLOTS.schedules, id)
    for (const [k, w] of encodeSchedule({ ...s, released: 0n, revoked: false }).entries()) words.set(base + BigInt(k), w)
    const ids = lists.get(s.beneficiary) ?? []
    ids.push(id)
    lists.set(s.beneficiary, ids)
  })
  words.set(VESTING_SLOTS.count, BigInt(schedules.length))
  for (const [account, ids] of lists) {
    const slot = mappingSlot(genesisHasher, VESTING_SLOTS.byBeneficiary, addressWord(account))
    words.set(slot, BigInt(ids.length))
    const data = arraySlot(genesisHasher, slot)
    for (const [k, id] of ids.entries()) words.set(data + BigInt(k), id)
  }
  return [...words.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}
