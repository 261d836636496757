import t from 'tap'
import { loadChainSpec, vestingSchedules } from '../../../genesis/index.ts'

const OPEN = 10n ** 18n
const MONTH = 2_629_800n
const TGE = 1_757_289_600n

t.test('mainnet: absolute schedules in table order', async (t) => {
  t.same(vestingSchedules(loadChainSpec('mainnet').tokenomics!), [
    {
      bucket: 'ecosystem',
      beneficiary: '0x4f50454e00000000000000000000000000001004',
      amount: 451_600_000n * OPEN,
      start: TGE,
      cliff: TGE,
      duration: 48n * MONTH,
      revocable: false,
    },
    {
      bucket: 'investors',
      beneficiary: '0x4f50454e00000000000000000000000000000002',
      amount: 182_900_000n * OPEN,
      start: TGE + 12n * MONTH,
      cliff: TGE + 12n * MONTH,
      duration: 36n * MONTH,
      revocable: false,
    },
    {
      bucket: 'team',
      beneficiary: '0x4f50454e00000000000000000000000000000003',
      amount: 150_000_000n * OPEN,
      start: 1_788_847_200n,
      cliff: 1_788_847_200n,
      duration: 94_672_800n,
      revocable: false,
    },
  ])
})

t.test('the cliff is an absolute timestamp: start + cliffMonths months', async (t) => {
  const tokenomics = loadChainSpec('devnet').tokenomics!
  const team = tokenomics.buckets.find((b) => b.name === 'team')!
  team.vesting[0] = { ...team.vesting[0]!, startMonths: 2, cliffMonths: 3, revocable: true }
  const schedule = vestingSchedules(tokenomics).find((s) => s.bucket === 'team')!
  t.equal(schedule.start, tokenomics.tge + 120n)
  t.equal(schedule.cliff, tokenomics.tge + 300n)
  t.equal(schedule.duration, 36n * 60n)
  t.equal(schedule.revocable, true)
})
