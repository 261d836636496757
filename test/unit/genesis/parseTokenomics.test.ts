import t from 'tap'
import { GENESIS_ERROR, GenesisError, loadChainSpec, parseChainSpec, serializeChainSpec } from '../../../genesis/index.ts'
import type { GenesisErrorCode } from '../../../genesis/index.ts'

const OPEN = 10n ** 18n

/** The mainnet spec as JSON (tokenomics written out in full), for each case to break one rule of. */
function mainnetJson(): Record<string, any> {
  return JSON.parse(JSON.stringify(serializeChainSpec(loadChainSpec('mainnet'))))
}

/** The bucket of that name in a spec's JSON. */
function bucket(json: Record<string, any>, name: string): Record<string, any> {
  return json.tokenomics.buckets.find((b: { name: string }) => b.name === name)
}

/** Add `delta` wei to a decimal-string amount. */
function add(amount: string, delta: bigint): string {
  return (BigInt(amount) + delta).toString()
}

type Case = {
  name: string
  mutate: (json: Record<string, any>) => void
  code: GenesisErrorCode
  path: string
  /** every one must appear in the message (the bucket name, the numbers) */
  says: string[]
}

const cases: Case[] = [
  {
    name: 'a bucket whose unlocked + vesting differ from its amount',
    mutate: (j) => {
      bucket(j, 'team').vesting[0].amount = add(bucket(j, 'team').vesting[0].amount, -1n)
    },
    code: GENESIS_ERROR.TOKENOMICS_MISMATCH,
    path: 'tokenomics.buckets[team]',
    says: ['tokenomics.buckets[team]: unlocked + vesting = 149999999999999999999999999 but amount is 150000000000000000000000000'],
  },
  {
    name: 'shares that do not sum to 10000 bps',
    mutate: (j) => {
      bucket(j, 'liquidity').shareBps = 499
    },
    code: GENESIS_ERROR.TOKENOMICS_MISMATCH,
    path: 'tokenomics.buckets',
    says: ['shareBps sum to 9999', 'liquidity 499', 'not 10000'],
  },
  {
    name: 'bucket amounts that do not sum to totalSupply',
    mutate: (j) => {
      const team = bucket(j, 'team')
      team.amount = add(team.amount, -OPEN)
      team.vesting[0].amount = add(team.vesting[0].amount, -OPEN)
    },
    code: GENESIS_ERROR.TOKENOMICS_MISMATCH,
    path: 'tokenomics.buckets',
    says: ['bucket amounts sum to 999999999000000000000000000', 'team 149999999000000000000000000', 'not totalSupply 1000000000000000000000000000'],
  },
  {
    name: 'a bucket amount that is not exactly totalSupply * shareBps / 10000 (amounts still sum to the supply)',
    mutate: (j) => {
      for (const [name, delta] of [
        ['investors', 1n],
        ['team', -1n],
      ] as const) {
        bucket(j, name).amount = add(bucket(j, name).amount, delta)
        bucket(j, name).vesting[0].amount = add(bucket(j, name).vesting[0].amount, delta)
      }
    },
    code: GENESIS_ERROR.TOKENOMICS_MISMATCH,
    path: 'tokenomics.buckets[investors]',
    says: ['tokenomics.buckets[investors]: amount is 182900000000000000000000001 but totalSupply * 1829 / 10000 is 182900000000000000000000000'],
  },
  {
    name: 'a share of a supply that has no whole-wei amount',
    mutate: (j) => {
      j.tokenomics.totalSupply = add(j.tokenomics.totalSupply, 1n)
      bucket(j, 'liquidity').amount = add(bucket(j, 'liquidity').amount, 1n)
      bucket(j, 'liquidity').unlocked[0].amount = add(bucket(j, 'liquidity').unlocked[0].amount, 1n)
    },
    code: GENESIS_ERROR.TOKENOMICS_MISMATCH,
    path: 'tokenomics.buckets[ecosystem]',
    says: ['tokenomics.buckets[ecosystem]:', 'not a whole number of wei'],
  },
  {
    name: 'TGE unlocks that are not exactly circulatingAtTgeBps of the supply',
    mutate: (j) => {
      const ecosystem = bucket(j, 'ecosystem')
      ecosystem.unlocked[0].amount = add(ecosystem.unlocked[0].amount, -1n)
      ecosystem.vesting[0].amount = add(ecosystem.vesting[0].amount, 1n)
    },
    code: GENESIS_ERROR.TOKENOMICS_MISMATCH,
    path: 'tokenomics.circulatingAtTgeBps',
    says: [
      'unlocked amounts sum to 215499999999999999999999999',
      'ecosystem 165499999999999999999999999 + liquidity 50000000000000000000000000',
      'totalSupply * 2155 / 10000 is 215500000000000000000000000',
    ],
  },
  {
    name: 'two buckets with one name',
    mutate: (j) => {
      bucket(j, 'liquidity').name = 'team'
    },
    code: GENESIS_ERROR.DUPLICATE_BUCKET,
    path: 'tokenomics.buckets[3].name',
    says: ['repeats bucket name "team"'],
  },
  {
    name: 'an unknown tokenomics field',
    mutate: (j) => {
      j.tokenomics.supply = '1'
    },
    code: GENESIS_ERROR.UNKNOWN_FIELD,
    path: 'tokenomics.supply',
    says: ['is not a known field'],
  },
  {
    name: 'a bucket without a name',
    mutate: (j) => {
      delete bucket(j, 'team').name
    },
    code: GENESIS_ERROR.MISSING_FIELD,
    path: 'tokenomics.buckets[2].name',
    says: ['is required'],
  },
  {
    name: 'no buckets',
    mutate: (j) => {
      j.tokenomics.buckets = []
    },
    code: GENESIS_ERROR.INVALID_FIELD,
    path: 'tokenomics.buckets',
    says: ['at least one bucket'],
  },
  {
    name: 'an alloc balance beside the table',
    mutate: (j) => {
      j.alloc['0x4f50454e00000000000000000000000000000001'] = { balance: '1' }
    },
    code: GENESIS_ERROR.ALLOC_BALANCE_WITH_TOKENOMICS,
    path: 'alloc.0x4f50454e00000000000000000000000000000001.balance',
    says: ['must be 0 when the spec has tokenomics', '0x4f50454e00000000000000000000000000000001'],
  },
]

/** [what, bucket, keys inside the bucket, value set there, code, what the message says] */
const FIELD_CASES: [string, string, (string | number)[], unknown, GenesisErrorCode, string][] = [
  ['a cliff longer than the schedule', 'team', ['vesting', 0, 'cliffMonths'], 37, GENESIS_ERROR.INVALID_FIELD, 'must be <= durationMonths (36)'],
  ['a zero unlocked amount', 'liquidity', ['unlocked', 0, 'amount'], '0', GENESIS_ERROR.INVALID_FIELD, 'must be an integer >= 1'],
  ['a zero vesting amount', 'investors', ['vesting', 0, 'amount'], '0', GENESIS_ERROR.INVALID_FIELD, 'must be an integer >= 1'],
  ['a zero bucket amount', 'team', ['amount'], '0', GENESIS_ERROR.INVALID_FIELD, 'must be an integer >= 1'],
  ['a zero-month schedule', 'team', ['vesting', 0, 'durationMonths'], 0, GENESIS_ERROR.INVALID_FIELD, 'must be an integer >= 1'],
  ['a revocable flag that is not a boolean', 'team', ['vesting', 0, 'revocable'], 'no', GENESIS_ERROR.INVALID_FIELD, 'must be true or false'],
  ['an unknown bucket field', 'team', ['cliff'], 12, GENESIS_ERROR.UNKNOWN_FIELD, 'is not a known field'],
  ['an unknown vesting field', 'investors', ['vesting', 0, 'cliffDays'], 1, GENESIS_ERROR.UNKNOWN_FIELD, 'is not a known field'],
  ['an unknown unlock field', 'liquidity', ['unlocked', 0, 'to'], '0x01', GENESIS_ERROR.UNKNOWN_FIELD, 'is not a known field'],
]
for (const [name, bucketName, keys, value, code, says] of FIELD_CASES) {
  cases.push({
    name,
    mutate: (j) => {
      let target = bucket(j, bucketName)
      for (const key of keys.slice(0, -1)) target = target[key]
      target[keys.at(-1)!] = value
    },
    code,
    path: `tokenomics.buckets[${bucketName}]${keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`,
    says: [says],
  })
}

t.test('every tokenomics rule fails on its own, naming the bucket', async (t) => {
  t.doesNotThrow(() => parseChainSpec(mainnetJson()), 'the unbroken table parses')
  for (const c of cases) {
    const json = mainnetJson()
    c.mutate(json)
    const err = t.throws(() => parseChainSpec(json), c.name) as GenesisError
    t.ok(err instanceof GenesisError, `${c.name}: a GenesisError`)
    t.equal(err.code, c.code, `${c.name}: code`)
    t.equal(err.meta.path, c.path, `${c.name}: meta.path`)
    t.ok(err.message.startsWith(c.path), `${c.name}: the message starts with the path: ${err.message}`)
    for (const part of c.says) t.ok(err.message.includes(part), `${c.name}: the message says "${part}": ${err.message}`)
  }
})

t.test('alloc may keep code, storage and nonces (balance 0) beside the table', async (t) => {
  const json = mainnetJson()
  json.alloc['0x4200000000000000000000000000000000000019'] = { balance: '0', nonce: 1, code: '0x6000', storage: { '0x01': '0x02' } }
  const spec = parseChainSpec(json)
  t.equal(spec.alloc['0x4200000000000000000000000000000000000019']!.code, '0x6000')
})

t.test('optional schedule fields default to 0 / not revocable; entries to none', async (t) => {
  const json = mainnetJson()
  const investors = bucket(json, 'investors')
  investors.vesting[0] = { beneficiary: investors.vesting[0].beneficiary, amount: investors.vesting[0].amount, durationMonths: 36 }
  delete bucket(json, 'team').unlocked
  delete bucket(json, 'liquidity').vesting
  const { tokenomics } = parseChainSpec(json)
  t.same(tokenomics!.buckets[1]!.vesting[0], {
    beneficiary: '0x4f50454e00000000000000000000000000000002',
    amount: 182_900_000n * OPEN,
    startMonths: 0,
    cliffMonths: 0,
    durationMonths: 36,
    revocable: false,
  })
  t.same(tokenomics!.buckets[2]!.unlocked, [])
  t.same(tokenomics!.buckets[3]!.vesting, [])
})

t.test('the table round-trips through serializeChainSpec; specs without it serialise as before', async (t) => {
  for (const name of ['mainnet', 'devnet'] as const) {
    const spec = loadChainSpec(name)
    t.same(parseChainSpec(JSON.parse(JSON.stringify(serializeChainSpec(spec)))), spec, `${name}: round trip`)
  }
  const plain = { version: 1, chainId: 7, gasLimit: 21000, sequencer: '0x4f50454e00000000000000000000000000000004', alloc: {} }
  const spec = parseChainSpec(plain)
  t.notOk('tokenomics' in spec, 'no tokenomics key on a plain spec')
  t.notOk('tokenomics' in serializeChainSpec(spec), 'none written either')
})
