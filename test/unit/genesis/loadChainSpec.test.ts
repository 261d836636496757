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
} from '../../../genesis/index.ts'

const OPEN = 10n ** 18n

t.test('both shipped specs load', async (t) => {
  for (const name of BUILTIN_CHAIN_SPECS) {
    const spec = loadChainSpec(name)
    t.equal(spec.name, name, `${name}: name`)
    t.equal(spec.hardfork, 'prague', `${name}: prague`)
    t.ok(Object.keys(spec.alloc).length > 0, `${name}: has allocations`)
  }
})

t.test('devnet: chainId 1337, 1 s blocks, the 10 dev accounts funded, room for 2,000 ERC-20 transfers', async (t) => {
  const spec = loadChainSpec('devnet')
  t.equal(spec.chainId, 1337n)
  t.equal(spec.blockTime, 1)
  // 2,000 ERC-20 transfers measured at ~51.3k gas each (shared/specs/ethereumjs.md §3) = 102.7 Mgas.
  t.ok(spec.gasLimit >= 2_000n * 51_332n, 'gas limit fits 2,000 ERC-20 transfers')
  t.equal(spec.sequencer, DEV_ACCOUNTS[0]!.address.toLowerCase(), 'dev account 0 is the sequencer')
  for (const account of DEV_ACCOUNTS) {
    const funded = spec.alloc[account.address.toLowerCase() as `0x${string}`]
    t.ok(funded !== undefined && funded.balance === 10_000n * OPEN, `dev account ${account.index} funded with 10,000 OPEN`)
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
  const spec = loadChainSpec('mainnet')
  let total = 0n
  for (const account of Object.values(spec.alloc)) total += account.balance
  t.equal(total, 1_000_000_000n * OPEN)
  t.equal(total, 10n ** 27n)
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
