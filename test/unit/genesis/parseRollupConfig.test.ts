import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import {
  GENESIS_ERROR,
  decodeEcotoneScalar,
  encodeEcotoneScalar,
  loadRollupConfig,
  parseRollupConfig,
  rollupConfigJson,
  toChecksumAddress,
} from '../../../genesis/index.ts'
import type { Hex, RollupSpec } from '../../../genesis/index.ts'
import { createTestSpec } from '../../fixtures/chain/testSpec.ts'
import { TEST_ROLLUP } from '../../fixtures/l2/rollupSpec.ts'

const spec = createTestSpec()
const ZERO_HASH = `0x${'0'.repeat(64)}` as Hex
// blobBaseFeeScalar 810949 = 0x000c5fc5, baseFeeScalar 1368 = 0x00000558 (OP Mainnet's Ecotone values)
const SCALAR_V1 = '0x010000000000000000000000000000000000000000000000000c5fc500000558' as Hex

/** An op-node rollup.json for `spec` and TEST_ROLLUP, as op-node writes it, plus our extra keys. */
function rollupJson(): Record<string, any> {
  return {
    genesis: {
      l1: { hash: TEST_ROLLUP.l1Genesis.hash, number: 12 },
      l2: { hash: ZERO_HASH, number: 0 },
      l2_time: Number(spec.timestamp),
      system_config: { batcherAddr: TEST_ROLLUP.batcher, overhead: ZERO_HASH, scalar: SCALAR_V1, gasLimit: Number(spec.gasLimit) },
    },
    block_time: spec.blockTime,
    max_sequencer_drift: 600,
    seq_window_size: 3600,
    channel_timeout: 300,
    l1_chain_id: 900,
    l2_chain_id: Number(spec.chainId),
    regolith_time: 0,
    canyon_time: 0,
    delta_time: 0,
    ecotone_time: 0,
    batch_inbox_address: TEST_ROLLUP.batchInbox,
    deposit_contract_address: TEST_ROLLUP.depositContract,
    l1_system_config_address: TEST_ROLLUP.systemConfig,
    l1_cross_domain_messenger_address: TEST_ROLLUP.l1CrossDomainMessenger,
    l1_standard_bridge_address: TEST_ROLLUP.l1StandardBridge,
    l2_output_oracle_address: TEST_ROLLUP.l2OutputOracle,
    l2_proxy_admin_owner: TEST_ROLLUP.l2ProxyAdminOwner,
    gas_paying_token: { ...TEST_ROLLUP.gasPayingToken },
  }
}

const EXPECTED: RollupSpec = { ...TEST_ROLLUP, seqWindowSize: 3600n, channelTimeout: 300n }

t.test('a valid rollup.json gives the RollupSpec', async (t) => {
  const { rollup, l2GenesisHash } = parseRollupConfig(rollupJson(), spec)
  t.same(rollup, EXPECTED)
  t.equal(l2GenesisHash, undefined, 'a zero genesis.l2.hash names no genesis')
  const named = rollupJson()
  named.genesis.l2.hash = `0x${'AB'.repeat(32)}`
  t.equal(parseRollupConfig(named, spec).l2GenesisHash, `0x${'ab'.repeat(32)}`)
  // op-node writes checksummed addresses; they come back lowercase
  const checksummed = rollupJson()
  checksummed.l1_standard_bridge_address = toChecksumAddress('0xabcdefabcdefabcdefabcdefabcdefabcdefabcd')
  t.equal(parseRollupConfig(checksummed, spec).rollup.l1StandardBridge, '0xabcdefabcdefabcdefabcdefabcdefabcdefabcd')
})

t.test('Ecotone scalar word: version 1 and version 0, bad padding and versions refused', async (t) => {
  t.same(decodeEcotoneScalar(SCALAR_V1, 'scalar'), { baseFeeScalar: 1368, blobBaseFeeScalar: 810_949 })
  t.equal(encodeEcotoneScalar({ baseFeeScalar: 1368, blobBaseFeeScalar: 810_949 }), SCALAR_V1)
  t.equal(encodeEcotoneScalar({ baseFeeScalar: 0xffffffff, blobBaseFeeScalar: 0xffffffff }), `0x01${'0'.repeat(46)}${'f'.repeat(16)}`)
  t.same(
    decodeEcotoneScalar(`0x${'0'.repeat(56)}000f4240`, 'scalar'),
    { baseFeeScalar: 1_000_000, blobBaseFeeScalar: 0 },
    'version 0: the scalar is the base fee scalar',
  )
  const v0 = rollupJson()
  v0.genesis.system_config.scalar = `0x${'0'.repeat(56)}000f4240`
  t.same(parseRollupConfig(v0, spec).rollup, { ...EXPECTED, baseFeeScalar: 1_000_000, blobBaseFeeScalar: 0 })
  t.throws(() => decodeEcotoneScalar(`0x01${'00'.repeat(9)}01${'00'.repeat(21)}`, 'scalar'), { code: GENESIS_ERROR.INVALID_FIELD, message: /bytes 1\.\.24/ })
  t.throws(() => decodeEcotoneScalar(`0x00${'0'.repeat(52)}01${'0'.repeat(8)}`, 'scalar'), { message: /does not fit in uint32/ })
  t.throws(() => decodeEcotoneScalar(`0x02${'0'.repeat(62)}`, 'scalar'), { message: /unknown scalar version 0x02/ })
})

/** [what, how to break the file, the path the error names, its code] */
const INVALID: [string, (j: Record<string, any>) => void, string, string][] = [
  ['l2 chain id', (j) => (j.l2_chain_id = 901), 'l2_chain_id', GENESIS_ERROR.ROLLUP_MISMATCH],
  ['l2 time', (j) => (j.genesis.l2_time = 5), 'genesis.l2_time', GENESIS_ERROR.ROLLUP_MISMATCH],
  ['block time', (j) => (j.block_time = 2), 'block_time', GENESIS_ERROR.ROLLUP_MISMATCH],
  ['gas limit', (j) => (j.genesis.system_config.gasLimit = 30_000_000), 'genesis.system_config.gasLimit', GENESIS_ERROR.ROLLUP_MISMATCH],
  ['l2 number', (j) => (j.genesis.l2.number = 7), 'genesis.l2.number', GENESIS_ERROR.INVALID_FIELD],
  ['l2 hash', (j) => (j.genesis.l2.hash = '0x1234'), 'genesis.l2.hash', GENESIS_ERROR.INVALID_FIELD],
  ['l1 hash', (j) => (j.genesis.l1.hash = 'nope'), 'genesis.l1.hash', GENESIS_ERROR.INVALID_FIELD],
  ['l1 number', (j) => delete j.genesis.l1.number, 'genesis.l1.number', GENESIS_ERROR.MISSING_FIELD],
  ['l1 chain id', (j) => (j.l1_chain_id = 0), 'l1_chain_id', GENESIS_ERROR.INVALID_FIELD],
  ['missing genesis', (j) => delete j.genesis, 'genesis', GENESIS_ERROR.MISSING_FIELD],
  ['batcher', (j) => (j.genesis.system_config.batcherAddr = '0x12'), 'genesis.system_config.batcherAddr', GENESIS_ERROR.INVALID_FIELD],
  ['scalar', (j) => (j.genesis.system_config.scalar = `0x03${'0'.repeat(62)}`), 'genesis.system_config.scalar', GENESIS_ERROR.INVALID_FIELD],
  ['short scalar', (j) => (j.genesis.system_config.scalar = '0x01'), 'genesis.system_config.scalar', GENESIS_ERROR.INVALID_FIELD],
  ['overhead', (j) => delete j.genesis.system_config.overhead, 'genesis.system_config.overhead', GENESIS_ERROR.MISSING_FIELD],
  [
    'holocene params',
    (j) => (j.genesis.system_config.eip1559Params = '0x000000fa00000006'),
    'genesis.system_config.eip1559Params',
    GENESIS_ERROR.UNSUPPORTED_CONFIG,
  ],
  ['system config key', (j) => (j.genesis.system_config.gasLimitt = 1), 'genesis.system_config.gasLimitt', GENESIS_ERROR.UNKNOWN_FIELD],
  ['sequencer drift', (j) => (j.max_sequencer_drift = 0), 'max_sequencer_drift', GENESIS_ERROR.INVALID_FIELD],
  ['seq window', (j) => delete j.seq_window_size, 'seq_window_size', GENESIS_ERROR.MISSING_FIELD],
  ['channel timeout', (j) => (j.channel_timeout = -1), 'channel_timeout', GENESIS_ERROR.INVALID_FIELD],
  ['regolith missing', (j) => delete j.regolith_time, 'regolith_time', GENESIS_ERROR.UNSUPPORTED_HARDFORK],
  ['canyon later', (j) => (j.canyon_time = 100), 'canyon_time', GENESIS_ERROR.UNSUPPORTED_HARDFORK],
  ['ecotone later', (j) => (j.ecotone_time = 1), 'ecotone_time', GENESIS_ERROR.UNSUPPORTED_HARDFORK],
  ['delta later', (j) => (j.delta_time = 1), 'delta_time', GENESIS_ERROR.UNSUPPORTED_HARDFORK],
  ['fjord', (j) => (j.fjord_time = 0), 'fjord_time', GENESIS_ERROR.UNSUPPORTED_HARDFORK],
  ['unknown key', (j) => (j.alt_da = {}), 'alt_da', GENESIS_ERROR.UNKNOWN_FIELD],
  ['deposit contract', (j) => (j.deposit_contract_address = `0x${'0'.repeat(40)}`), 'deposit_contract_address', GENESIS_ERROR.INVALID_FIELD],
  ['system config', (j) => delete j.l1_system_config_address, 'l1_system_config_address', GENESIS_ERROR.MISSING_FIELD],
  ['batch inbox', (j) => (j.batch_inbox_address = 42), 'batch_inbox_address', GENESIS_ERROR.INVALID_FIELD],
  ['messenger', (j) => delete j.l1_cross_domain_messenger_address, 'l1_cross_domain_messenger_address', GENESIS_ERROR.MISSING_FIELD],
  ['bridge', (j) => (j.l1_standard_bridge_address = '0xAbCdEfabcdefabcdefabcdefabcdefabcdefabcd'), 'l1_standard_bridge_address', GENESIS_ERROR.BAD_CHECKSUM],
  ['output oracle', (j) => delete j.l2_output_oracle_address, 'l2_output_oracle_address', GENESIS_ERROR.MISSING_FIELD],
  ['proxy admin owner', (j) => (j.l2_proxy_admin_owner = `0x${'0'.repeat(40)}`), 'l2_proxy_admin_owner', GENESIS_ERROR.INVALID_FIELD],
  ['gas token', (j) => delete j.gas_paying_token, 'gas_paying_token', GENESIS_ERROR.MISSING_FIELD],
  ['gas token decimals', (j) => (j.gas_paying_token.decimals = 6), 'gas_paying_token.decimals', GENESIS_ERROR.INVALID_FIELD],
  [
    'gas token ETH',
    (j) => (j.gas_paying_token.address = '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE'),
    'gas_paying_token.address',
    GENESIS_ERROR.INVALID_FIELD,
  ],
  ['gas token name', (j) => (j.gas_paying_token.name = 'x'.repeat(33)), 'gas_paying_token.name', GENESIS_ERROR.INVALID_FIELD],
  ['gas token symbol NUL', (j) => (j.gas_paying_token.symbol = 'OP\u0000EN'), 'gas_paying_token.symbol', GENESIS_ERROR.INVALID_FIELD],
  ['gas token empty symbol', (j) => (j.gas_paying_token.symbol = ''), 'gas_paying_token.symbol', GENESIS_ERROR.INVALID_FIELD],
  ['gas token key', (j) => (j.gas_paying_token.supply = 1), 'gas_paying_token.supply', GENESIS_ERROR.UNKNOWN_FIELD],
]

t.test('each invalid field is refused, the error naming it', async (t) => {
  t.ok(parseRollupConfig(rollupJson(), spec), 'the unbroken file parses')
  for (const [what, breakIt, path, code] of INVALID) {
    const json = rollupJson()
    breakIt(json)
    t.throws(() => parseRollupConfig(json, spec), { code, meta: { path }, message: new RegExp(`^${path.replace(/\./g, '\\.')} `) }, what)
  }
  t.throws(() => parseRollupConfig([], spec), { code: GENESIS_ERROR.INVALID_FIELD }, 'not an object')
  const name32 = rollupJson()
  name32.gas_paying_token.name = 'é'.repeat(16) // 32 UTF-8 bytes
  t.equal(parseRollupConfig(name32, spec).rollup.gasPayingToken.name, 'é'.repeat(16), '32 bytes of UTF-8 fit')
})

t.test('rollupConfigJson round-trips through parseRollupConfig', async (t) => {
  const hash = `0x${'5a'.repeat(32)}` as Hex
  const json = rollupConfigJson({ ...spec, rollup: EXPECTED }, hash)
  t.same(json, { ...rollupJson(), genesis: { ...rollupJson().genesis, l2: { hash, number: 0 } } }, 'the op-node shape, scalars as a version-1 word')
  const back = parseRollupConfig(JSON.parse(JSON.stringify(json)), spec)
  t.same(back, { rollup: EXPECTED, l2GenesisHash: hash })
  // without seq_window_size / channel_timeout a RollupSpec stands for op-node's standard values
  const standard = rollupConfigJson({ ...spec, rollup: TEST_ROLLUP }, hash)
  t.equal(standard.seq_window_size, 3600)
  t.equal(standard.channel_timeout, 300)
  t.equal(rollupConfigJson({ ...spec, chainId: 2n ** 60n, rollup: TEST_ROLLUP }, hash).l2_chain_id, '1152921504606846976', 'beyond 2^53: a decimal string')
})

t.test('loadRollupConfig names the file in its errors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'openledger-rollup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const good = join(dir, 'rollup.json')
  writeFileSync(good, JSON.stringify(rollupJson()))
  t.same(loadRollupConfig(good, spec).rollup, EXPECTED)
  const bad = join(dir, 'bad.json')
  writeFileSync(bad, JSON.stringify({ ...rollupJson(), l2_chain_id: 5 }))
  t.throws(() => loadRollupConfig(bad, spec), {
    code: GENESIS_ERROR.ROLLUP_MISMATCH,
    meta: { file: bad, path: 'l2_chain_id' },
    message: `${bad}: l2_chain_id 5 does not match the chain spec's chainId 1337`,
  })
  t.throws(() => loadRollupConfig(join(dir, 'missing.json'), spec), { code: GENESIS_ERROR.FILE_UNREADABLE, message: /cannot read rollup config/ })
  writeFileSync(bad, '{ nope')
  t.throws(() => loadRollupConfig(bad, spec), { code: GENESIS_ERROR.INVALID_JSON })
})
