import type { GenesisAccount, Hex, Tokenomics, TokenomicsBucket, TokenomicsUnlock, TokenomicsVesting } from './types.ts'
import { readName } from './defaults.ts'
import { GENESIS_ERROR, GenesisError, fieldError } from './errors.ts'
import type { JsonObject } from './fields.ts'
import { MAX_UINT64, joinPath, readAddress, readArray, readBoolean, readObject, readQuantity, readSmallInt, rejectUnknownKeys, requireField } from './fields.ts'

/** Basis points in a whole: shares and the TGE float are written in bps of totalSupply. */
export const BPS = 10_000
/** Longest schedule field, in months (100 years): keeps `openledger supply` tables finite. */
export const MAX_SCHEDULE_MONTHS = 1200
/** Longest schedule "month": 366 days, in seconds. */
const MAX_MONTH_SECONDS = 31_622_400n

const TOKENOMICS_FIELDS = ['totalSupply', 'tge', 'monthSeconds', 'circulatingAtTgeBps', 'buckets'] as const
const BUCKET_FIELDS = ['name', 'shareBps', 'amount', 'unlocked', 'vesting'] as const
const UNLOCK_FIELDS = ['address', 'amount'] as const
const VESTING_FIELDS = ['beneficiary', 'amount', 'startMonths', 'cliffMonths', 'durationMonths', 'revocable'] as const

/** A table that does not add up: "<path>: <problem>" (a relation between fields, not one bad field). */
function mismatch(path: string, problem: string): GenesisError {
  return new GenesisError(GENESIS_ERROR.TOKENOMICS_MISMATCH, `${path}: ${problem}`, { path })
}

/** "a 1 + b 2" over buckets, for messages that concern several. */
function terms(buckets: readonly TokenomicsBucket[], value: (b: TokenomicsBucket) => bigint | number): string {
  return buckets.map((b) => `${b.name} ${value(b)}`).join(' + ')
}

function sum<T>(items: readonly T[], value: (item: T) => bigint): bigint {
  return items.reduce((acc, item) => acc + value(item), 0n)
}

/**
 * Parse and validate a `tokenomics` section (genesis/README.md), to the wei. Each bucket's
 * unlocked + vesting amounts equal its amount; shares sum to 10000 bps; bucket amounts sum to
 * totalSupply; each bucket's amount is exactly totalSupply * shareBps / 10000; the unlocked
 * amounts of all buckets sum exactly to totalSupply * circulatingAtTgeBps / 10000. Errors are
 * GenesisError naming the bucket (`tokenomics.buckets[team]`).
 */
export function parseTokenomics(value: unknown, path: string): Tokenomics {
  const raw = readObject(value, path)
  rejectUnknownKeys(raw, TOKENOMICS_FIELDS, path)
  const totalSupply = readQuantity(requireField(raw, 'totalSupply', path), joinPath(path, 'totalSupply'), 1n)
  const tge = readQuantity(requireField(raw, 'tge', path), joinPath(path, 'tge'), 0n, MAX_UINT64)
  const monthSeconds = readQuantity(requireField(raw, 'monthSeconds', path), joinPath(path, 'monthSeconds'), 1n, MAX_MONTH_SECONDS)
  const circulatingAtTgeBps = readSmallInt(requireField(raw, 'circulatingAtTgeBps', path), joinPath(path, 'circulatingAtTgeBps'), 0, BPS)
  const bucketsPath = joinPath(path, 'buckets')
  const rawBuckets = readArray(requireField(raw, 'buckets', path), bucketsPath)
  if (rawBuckets.length === 0) throw fieldError(GENESIS_ERROR.INVALID_FIELD, bucketsPath, 'must list at least one bucket')

  const buckets: TokenomicsBucket[] = []
  for (const [index, rawBucket] of rawBuckets.entries()) {
    const bucket = parseBucket(rawBucket, bucketsPath, index)
    if (buckets.some((b) => b.name === bucket.name)) {
      throw fieldError(GENESIS_ERROR.DUPLICATE_BUCKET, `${bucketsPath}[${index}].name`, `repeats bucket name "${bucket.name}" (bucket names are unique)`)
    }
    buckets.push(bucket)
  }

  // Checked in this order so that each rule can fail on its own (once shares sum to 10000 and
  // every bucket matches its share, the amounts necessarily sum to totalSupply).
  const shares = buckets.reduce((acc, b) => acc + b.shareBps, 0)
  if (shares !== BPS) throw mismatch(bucketsPath, `shareBps sum to ${shares} (${terms(buckets, (b) => b.shareBps)}), not ${BPS}`)
  const allocated = sum(buckets, (b) => b.amount)
  if (allocated !== totalSupply) {
    throw mismatch(bucketsPath, `bucket amounts sum to ${allocated} (${terms(buckets, (b) => b.amount)}), not totalSupply ${totalSupply}`)
  }
  for (const bucket of buckets) {
    const scaled = totalSupply * BigInt(bucket.shareBps)
    if (bucket.amount * BigInt(BPS) !== scaled) {
      const exact = scaled % BigInt(BPS) === 0n ? `${scaled / BigInt(BPS)}` : 'not a whole number of wei'
      throw mismatch(`${bucketsPath}[${bucket.name}]`, `amount is ${bucket.amount} but totalSupply * ${bucket.shareBps} / ${BPS} is ${exact}`)
    }
  }
  const liquid = buckets.filter((b) => b.unlocked.length > 0)
  const circulating = sum(liquid, (b) => sum(b.unlocked, (u) => u.amount))
  const expected = totalSupply * BigInt(circulatingAtTgeBps)
  if (circulating * BigInt(BPS) !== expected) {
    const exact = expected % BigInt(BPS) === 0n ? `${expected / BigInt(BPS)}` : 'not a whole number of wei'
    const parts = liquid.length === 0 ? 'no bucket unlocks anything' : terms(liquid, (b) => sum(b.unlocked, (u) => u.amount))
    throw mismatch(
      joinPath(path, 'circulatingAtTgeBps'),
      `unlocked amounts sum to ${circulating} (${parts}) but totalSupply * ${circulatingAtTgeBps} / ${BPS} is ${exact}`,
    )
  }
  return { totalSupply, tge, monthSeconds, circulatingAtTgeBps, buckets }
}

function parseBucket(value: unknown, parent: string, index: number): TokenomicsBucket {
  const raw = readObject(value, `${parent}[${index}]`)
  const name = readName(requireField(raw, 'name', `${parent}[${index}]`), `${parent}[${index}].name`)
  const path = `${parent}[${name}]`
  rejectUnknownKeys(raw, BUCKET_FIELDS, path)
  const shareBps = readSmallInt(requireField(raw, 'shareBps', path), joinPath(path, 'shareBps'), 1, BPS)
  const amount = readQuantity(requireField(raw, 'amount', path), joinPath(path, 'amount'), 1n)
  const unlocked = readEntries(raw.unlocked, joinPath(path, 'unlocked'), parseUnlock)
  const vesting = readEntries(raw.vesting, joinPath(path, 'vesting'), parseVesting)
  const parts = sum<{ amount: bigint }>([...unlocked, ...vesting], (e) => e.amount)
  if (parts !== amount) throw mismatch(path, `unlocked + vesting = ${parts} but amount is ${amount}`)
  return { name, shareBps, amount, unlocked, vesting }
}

/** An optional array of entries (absent = none), each parsed at `<path>[i]`. */
function readEntries<T>(value: unknown, path: string, parse: (raw: JsonObject, path: string) => T): T[] {
  if (value === undefined) return []
  return readArray(value, path).map((item, i) => parse(readObject(item, `${path}[${i}]`), `${path}[${i}]`))
}

function parseUnlock(raw: JsonObject, path: string): TokenomicsUnlock {
  rejectUnknownKeys(raw, UNLOCK_FIELDS, path)
  return {
    address: readAddress(requireField(raw, 'address', path), joinPath(path, 'address')),
    amount: readQuantity(requireField(raw, 'amount', path), joinPath(path, 'amount'), 1n),
  }
}

function parseVesting(raw: JsonObject, path: string): TokenomicsVesting {
  rejectUnknownKeys(raw, VESTING_FIELDS, path)
  const months = (key: 'startMonths' | 'cliffMonths' | 'durationMonths', min: number): number =>
    readSmallInt(key === 'durationMonths' ? requireField(raw, key, path) : (raw[key] ?? 0), joinPath(path, key), min, MAX_SCHEDULE_MONTHS)
  const vesting: TokenomicsVesting = {
    beneficiary: readAddress(requireField(raw, 'beneficiary', path), joinPath(path, 'beneficiary')),
    amount: readQuantity(requireField(raw, 'amount', path), joinPath(path, 'amount'), 1n),
    startMonths: months('startMonths', 0),
    cliffMonths: months('cliffMonths', 0),
    durationMonths: months('durationMonths', 1),
    revocable: raw.revocable === undefined ? false : readBoolean(raw.revocable, joinPath(path, 'revocable')),
  }
  if (vesting.cliffMonths > vesting.durationMonths) {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, joinPath(path, 'cliffMonths'), `must be <= durationMonths (${vesting.durationMonths})`)
  }
  return vesting
}

/**
 * With `tokenomics`, OPEN is allocated only through the table: every alloc balance must be 0
 * (alloc may still carry code, storage and nonces). Throws naming the first funded address.
 */
export function rejectAllocBalances(alloc: Record<Hex, GenesisAccount>, path: string): void {
  for (const [address, account] of Object.entries(alloc)) {
    if (account.balance !== 0n) {
      throw fieldError(
        GENESIS_ERROR.ALLOC_BALANCE_WITH_TOKENOMICS,
        `${joinPath(path, address)}.balance`,
        `must be 0 when the spec has tokenomics (OPEN is allocated only through tokenomics: list ${address} in a bucket's unlocked entries instead)`,
      )
    }
  }
}
