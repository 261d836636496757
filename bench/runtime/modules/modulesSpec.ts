/**
 * The chain the modules benchmark runs on: the devnet spec (chain id 1337, all five runtime
 * modules, its tokenomics table and governance settings) with these changes:
 * - gasLimit 1 Ggas (bench/node's BENCH_GAS_LIMIT): setup blocks of 200 contract creations fit;
 * - genesis timestamp = TGE = `start` (an hour before the run), so the bench's schedules are past
 *   their cliff and part-vested (1 month = the devnet's 60 s: cliff 60 s, duration 1,200 months
 *   = 20 h) whatever the wall clock says when `release` runs;
 * - votingPeriod 1 day instead of 300 s: a proposal stays Active through all the castVote runs
 *   (minutes of wall time; blocks follow the wall clock);
 * - the liquidity bucket's 49.9 M OPEN of the placeholder 0x…0004 go to the bench accounts: N
 *   holders with 5,000 OPEN unlocked each (they wrap, delegate, vote and transfer), N
 *   beneficiaries with 10 OPEN for gas and one vesting schedule each (1,000,000 OPEN over all of
 *   them; apart from the holders, whose GOPEN account word would otherwise already hold locked
 *   units), the rest to the treasury account that deploys the OpenZeppelin peers and proposes.
 *   The schedules take 10 bps of the TGE float (circulatingAtTgeBps 2155 -> 2145; the table is
 *   exact to the wei).
 */
import { createAddressFromPrivateKey } from '@ethereumjs/util'
import { loadChainSpec, serializeChainSpec } from '../../../genesis/index.ts'
import type { ChainSpec, Hex } from '../../../genesis/index.ts'
import { BENCH_GAS_LIMIT } from '../../node/benchSpec.ts'
import { benchKey } from '../../node/workload.ts'

const OPEN = 10n ** 18n
/** liquid OPEN of each holder: deposits of 1,000 on each side plus gas */
const HOLDER_BALANCE = 5_000n * OPEN
/** liquid OPEN of each beneficiary: gas */
const BENEFICIARY_BALANCE = 10n * OPEN
/**
 * the treasury wraps this much on each side: above 5 % (the quorum) of the module's voting supply
 * at the snapshot, ~354 M with the devnet's locked OPEN (investors and team: 332.9 M)
 */
export const TREASURY_DEPOSIT = 20_000_000n * OPEN
/** OPEN under vesting over all beneficiaries: 10 bps of the 1e9 supply, so the TGE float stays a whole number of bps */
const VESTING_TOTAL = 1_000_000n * OPEN
const VESTING_BPS = 10
/** one devnet month (tokenomics.monthSeconds) */
export const MONTH_SECONDS = 60n
/** cliff and duration of every bench schedule, in months */
export const SCHEDULE_MONTHS = { cliff: 1, duration: 1_200 } as const
/** keys from benchKey(30_000): disjoint from bench/node's senders (0..) and warm-up senders (10,000..) */
const KEY_OFFSET = 30_000
const MAX_ACCOUNTS = 1_000
/** the governance section's voting period here, seconds (see the header) */
const VOTING_PERIOD = 86_400n
const PLACEHOLDER_LIQUIDITY: Hex = '0x4f50454e00000000000000000000000000000004'

/** A funded bench account. */
export type BenchAccount = { key: Uint8Array; address: Hex }

/** What {@link modulesBenchSpec} built: the spec and the accounts; beneficiaries[i]'s schedule holds scheduleAmounts[i]. */
export type ModulesBench = { spec: ChainSpec; treasury: BenchAccount; holders: BenchAccount[]; beneficiaries: BenchAccount[]; scheduleAmounts: bigint[] }

const account = (i: number): BenchAccount => {
  const key = benchKey(KEY_OFFSET + i)
  return { key, address: createAddressFromPrivateKey(key).toString() as Hex }
}

type Unlocked = { address: string; amount: string }
type Grant = { beneficiary: string; amount: string; startMonths: number; cliffMonths: number; durationMonths: number; revocable: boolean }
type Bucket = { name: string; unlocked: Unlocked[]; vesting: Grant[] }

/** The devnet as described above with `n` holders and `n` beneficiaries (at most 1,000: the treasury needs 2 x TREASURY_DEPOSIT and the wallets' OPEN). */
export function modulesBenchSpec(n: number, start: bigint): ModulesBench {
  if (!Number.isInteger(n) || n < 1 || n > MAX_ACCOUNTS) throw new Error(`the account count must be an integer in 1..${MAX_ACCOUNTS}`)
  const json = serializeChainSpec(loadChainSpec('devnet')) as unknown as Record<string, unknown> & {
    tokenomics: { tge: string; circulatingAtTgeBps: number; buckets: Bucket[] }
    governance: Record<string, unknown>
  }
  json.name = 'devnet-modules-bench'
  json.gasLimit = BENCH_GAS_LIMIT.toString()
  json.timestamp = start.toString()
  json.tokenomics.tge = start.toString()
  json.tokenomics.circulatingAtTgeBps -= VESTING_BPS
  json.governance.votingPeriod = VOTING_PERIOD.toString()

  const treasury = account(0)
  const holders = Array.from({ length: n }, (_, i) => account(1 + i))
  const beneficiaries = Array.from({ length: n }, (_, i) => account(1 + MAX_ACCOUNTS + i))
  const count = BigInt(n)
  const scheduleAmounts = beneficiaries.map((_, i) => VESTING_TOTAL / count + (BigInt(i) < VESTING_TOTAL % count ? 1n : 0n))
  const liquidity = json.tokenomics.buckets.find((b) => b.name === 'liquidity')!
  const placeholder = liquidity.unlocked.find((u) => u.address === PLACEHOLDER_LIQUIDITY)!
  const treasuryAmount = BigInt(placeholder.amount) - count * (HOLDER_BALANCE + BENEFICIARY_BALANCE) - VESTING_TOTAL
  liquidity.unlocked = [
    ...liquidity.unlocked.filter((u) => u !== placeholder),
    { address: treasury.address, amount: treasuryAmount.toString() },
    ...holders.map((u) => ({ address: u.address, amount: HOLDER_BALANCE.toString() })),
    ...beneficiaries.map((u) => ({ address: u.address, amount: BENEFICIARY_BALANCE.toString() })),
  ]
  liquidity.vesting = beneficiaries.map((u, i) => ({
    beneficiary: u.address,
    amount: scheduleAmounts[i]!.toString(),
    startMonths: 0,
    cliffMonths: SCHEDULE_MONTHS.cliff,
    durationMonths: SCHEDULE_MONTHS.duration,
    revocable: false,
  }))
  return { spec: loadChainSpec(json), treasury, holders, beneficiaries, scheduleAmounts }
}
