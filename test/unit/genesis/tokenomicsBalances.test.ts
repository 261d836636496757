import t from 'tap'
import { DEV_ACCOUNTS, loadChainSpec, tokenomicsBalances } from '../../../genesis/index.ts'
import type { Hex, Tokenomics } from '../../../genesis/index.ts'

const OPEN = 10n ** 18n

t.test('devnet: each dev account 10,000 OPEN, the rest of liquidity and the ecosystem float', async (t) => {
  const balances = tokenomicsBalances(loadChainSpec('devnet').tokenomics!)
  t.equal(balances.size, 12)
  for (const account of DEV_ACCOUNTS) t.equal(balances.get(account.address.toLowerCase() as Hex), 10_000n * OPEN, `dev account ${account.index}`)
  t.equal(balances.get('0x4f50454e00000000000000000000000000000004'), 49_900_000n * OPEN, 'liquidity')
  t.equal(balances.get('0x4f50454e00000000000000000000000000001004'), 165_500_000n * OPEN, 'ecosystem float at the timelock')
  const keys = [...balances.keys()]
  t.same(keys, [...keys].sort(), 'iterated by ascending address')
})

t.test('an address listed twice gets the sum', async (t) => {
  const a: Hex = '0x00000000000000000000000000000000000000aa'
  const b: Hex = '0x00000000000000000000000000000000000000bb'
  const tokenomics: Tokenomics = {
    totalSupply: 100n,
    tge: 0n,
    monthSeconds: 1n,
    circulatingAtTgeBps: 10_000,
    buckets: [
      {
        name: 'x',
        shareBps: 5000,
        amount: 50n,
        unlocked: [
          { address: b, amount: 20n },
          { address: a, amount: 30n },
        ],
        vesting: [],
      },
      { name: 'y', shareBps: 5000, amount: 50n, unlocked: [{ address: b, amount: 50n }], vesting: [] },
    ],
  }
  t.same(
    [...tokenomicsBalances(tokenomics)],
    [
      [a, 30n],
      [b, 70n],
    ],
  )
})
