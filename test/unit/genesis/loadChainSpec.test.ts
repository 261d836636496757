import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import t from 'tap'
import {
  BUILTIN_CHAIN_SPECS,
  DEV_ACCOUNTS,
  GENESIS_ERROR,
  GenesisError,
  chainSpecHash,
  loadChainSpec,
  serializeChainSpec,
  toChecksumAddress,
  tokenomicsBalances,
} from '../../../genesis/index.ts'

const OPEN = 10n ** 18n

t.test('both shipped specs load', async (t) => {
  for (const name of BUILTIN_CHAIN_SPECS) {
    const spec = loadChainSpec(name)
    t.equal(spec.name, name, `${name}: name`)
    t.equal(spec.hardfork, 'prague', `${name}: prague`)
    t.ok(spec.tokenomics !== undefined && tokenomicsBalances(spec.tokenomics).size > 0, `${name}: allocates OPEN through its tokenomics table`)
    t.same(
      Object.values(spec.alloc).filter((account) => account.balance !== 0n),
      [],
      `${name}: no alloc balance beside the table`,
    )
  }
})

t.test('devnet: chainId 1337, 1 s blocks, the 10 dev accounts funded, room for 2,000 ERC-20 transfers', async (t) => {
  const spec = loadChainSpec('devnet')
  t.equal(spec.chainId, 1337n)
  t.equal(spec.blockTime, 1)
  // 2,000 ERC-20 transfers measured at ~51.3k gas each (shared/specs/ethereumjs.md §3) = 102.7 Mgas.
  t.ok(spec.gasLimit >= 2_000n * 51_332n, 'gas limit fits 2,000 ERC-20 transfers')
  t.equal(spec.sequencer, DEV_ACCOUNTS[0]!.address.toLowerCase(), 'dev account 0 is the sequencer')
  // funded from the liquidity bucket's TGE unlocks (genesis/devnet.json)
  const liquid = tokenomicsBalances(spec.tokenomics!)
  for (const account of DEV_ACCOUNTS) {
    t.equal(liquid.get(account.address.toLowerCase() as `0x${string}`), 10_000n * OPEN, `dev account ${account.index} funded with 10,000 OPEN`)
  }
})

t.test('dev account keys derive their checksummed addresses', async (t) => {
  t.equal(DEV_ACCOUNTS.length, 10)
  for (const account of DEV_ACCOUNTS) {
    const pub = secp256k1.getPublicKey(hexToBytes(account.privateKey.slice(2)), false)
    const address = `0x${bytesToHex(keccak_256(pub.subarray(1)).subarray(12))}`
    t.equal(toChecksumAddress(address), account.address, `dev account ${account.index}`)
  }
})

t.test('mainnet: total native supply is exactly 1,000,000,000 OPEN', async (t) => {
  const { tokenomics } = loadChainSpec('mainnet')
  let total = 0n
  for (const bucket of tokenomics!.buckets) total += bucket.amount
  t.equal(total, 1_000_000_000n * OPEN)
  t.equal(tokenomics!.totalSupply, 10n ** 27n)
})

t.test('loads from a file path, JSON text and an object; file errors name the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'openledger-genesis-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const devnet = loadChainSpec('devnet')
  const text = JSON.stringify(serializeChainSpec(devnet))
  const file = join(dir, 'spec.json')
  writeFileSync(file, text)
  t.same(loadChainSpec(file), devnet, 'from a path')
  t.same(loadChainSpec(text), devnet, 'from JSON text')
  t.same(loadChainSpec(JSON.parse(text)), devnet, 'from an object')

  const missing = join(dir, 'nope.json')
  const e1 = t.throws(() => loadChainSpec(missing)) as GenesisError
  t.equal(e1.code, GENESIS_ERROR.FILE_UNREADABLE)
  t.equal(e1.meta.file, missing)

  const broken = join(dir, 'broken.json')
  writeFileSync(broken, '{"version": 1,')
  const e2 = t.throws(() => loadChainSpec(broken)) as GenesisError
  t.equal(e2.code, GENESIS_ERROR.INVALID_JSON)
  t.match(e2.message, broken)

  const bad = join(dir, 'bad.json')
  writeFileSync(bad, JSON.stringify({ ...serializeChainSpec(devnet), baseFee: { elasticityMultiplier: 0 } }))
  const e3 = t.throws(() => loadChainSpec(bad)) as GenesisError
  t.ok(e3 instanceof GenesisError)
  t.equal(e3.meta.path, 'baseFee.elasticityMultiplier')
  t.equal(e3.message, `${bad}: baseFee.elasticityMultiplier must be an integer >= 1`)
})

t.test('chainSpecHash is stable and tracks consensus fields only', async (t) => {
  const devnet = loadChainSpec('devnet')
  const h = chainSpecHash(devnet)
  t.match(h, /^0x[0-9a-f]{64}$/)
  t.equal(chainSpecHash(loadChainSpec('devnet')), h, 'same spec, same hash')
  t.equal(chainSpecHash(loadChainSpec(JSON.stringify(serializeChainSpec(devnet)))), h, 'survives a round trip')
  t.equal(chainSpecHash({ ...devnet, name: 'renamed', blockTime: 5 }), h, 'name and blockTime are not identity')
  t.not(chainSpecHash({ ...devnet, chainId: 1338n }), h, 'chainId is identity')
  t.not(chainSpecHash({ ...devnet, gasLimit: devnet.gasLimit + 1n }), h, 'gasLimit is identity')
  t.not(chainSpecHash(loadChainSpec('mainnet')), h, 'mainnet differs')
})

/** A shipped table, row by row: [name, bps, OPEN, unlocked [address, OPEN][], vesting [beneficiary, OPEN, start, cliff, duration][]]. */
type TableRow = [string, number, bigint, [string, bigint][], [string, bigint, number, number, number][]]
const TIMELOCK = '0x4f50454e00000000000000000000000000001004'
const INVESTORS = '0x4f50454e00000000000000000000000000000002'
const TEAM = '0x4f50454e00000000000000000000000000000003'
const LIQUIDITY = '0x4f50454e00000000000000000000000000000004'

function rows(name: 'devnet' | 'mainnet'): TableRow[] {
  const t = loadChainSpec(name).tokenomics!
  return t.buckets.map((b) => [
    b.name,
    b.shareBps,
    b.amount / OPEN,
    b.unlocked.map((u): [string, bigint] => [u.address, u.amount / OPEN]),
    b.vesting.map((v): [string, bigint, number, number, number] => [v.beneficiary, v.amount / OPEN, v.startMonths, v.cliffMonths, v.durationMonths]),
  ])
}

// shared/specs/runtime-modules.md §1.1, reading (a): team and investors start at month 12 and run
// 36 months linearly with nothing released at a cliff; the 215.5 M TGE float is liquidity 50 M
// plus 165.5 M of the ecosystem pool, whose other 451.6 M vests over 48 months from the TGE.
const ECOSYSTEM: TableRow = ['ecosystem', 6171, 617_100_000n, [[TIMELOCK, 165_500_000n]], [[TIMELOCK, 451_600_000n, 0, 0, 48]]]
const INVESTOR_ROW: TableRow = ['investors', 1829, 182_900_000n, [], [[INVESTORS, 182_900_000n, 12, 0, 36]]]
const TEAM_ROW: TableRow = ['team', 1500, 150_000_000n, [], [[TEAM, 150_000_000n, 12, 0, 36]]]

t.test('mainnet tokenomics: the published split, TGE float 21.55 %, reading (a) of the schedule', async (t) => {
  const tokenomics = loadChainSpec('mainnet').tokenomics!
  t.equal(tokenomics.tge, 1_757_289_600n, 'TGE = the genesis timestamp, 2025-09-08')
  t.equal(tokenomics.monthSeconds, 2_629_800n, '365.25 days / 12')
  t.equal(tokenomics.circulatingAtTgeBps, 2155)
  t.same(rows('mainnet'), [ECOSYSTEM, INVESTOR_ROW, TEAM_ROW, ['liquidity', 500, 50_000_000n, [[LIQUIDITY, 50_000_000n]], []]])
  t.ok(
    tokenomics.buckets.every((b) => b.vesting.every((v) => !v.revocable)),
    'no grant is revocable',
  )
})

t.test(
  'devnet tokenomics: the mainnet table on 60-second months, dev accounts paid from liquidity, team and investors vesting to dev accounts 8 and 9',
  async (t) => {
    const spec = loadChainSpec('devnet')
    t.equal(spec.tokenomics!.tge, spec.timestamp, 'TGE = the genesis timestamp')
    t.equal(spec.tokenomics!.monthSeconds, 60n)
    const devs = DEV_ACCOUNTS.map((a): [string, bigint] => [a.address.toLowerCase(), 10_000n])
    const dev = (i: number) => DEV_ACCOUNTS[i]!.address.toLowerCase()
    t.same(rows('devnet'), [
      ECOSYSTEM,
      ['investors', 1829, 182_900_000n, [], [[dev(9), 182_900_000n, 12, 0, 36]]],
      ['team', 1500, 150_000_000n, [], [[dev(8), 150_000_000n, 12, 0, 36]]],
      ['liquidity', 500, 50_000_000n, [...devs, [LIQUIDITY, 49_900_000n]], []],
    ])
  },
)
