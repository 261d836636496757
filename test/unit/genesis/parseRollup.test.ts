// The `rollup` section of our chain-spec format: parse, serialise, hash.
import t from 'tap'
import { GENESIS_ERROR, chainSpecHash, parseChainSpec, parseRollup, serializeChainSpec, serializeRollup } from '../../../genesis/index.ts'
import { createTestSpec } from '../../fixtures/chain/testSpec.ts'
import { TEST_ROLLUP, withRollup } from '../../fixtures/l2/rollupSpec.ts'

t.test('a spec with a rollup section round-trips through serializeChainSpec / parseChainSpec', async (t) => {
  const spec = withRollup()
  const json = JSON.parse(JSON.stringify(serializeChainSpec(spec)))
  t.equal(json.rollup.l1ChainId, '900', 'bigints as decimal strings')
  t.same(parseChainSpec(json), spec)
  const windows = { ...spec, rollup: { ...TEST_ROLLUP, seqWindowSize: 7200n, channelTimeout: 50n } }
  t.same(parseChainSpec(JSON.parse(JSON.stringify(serializeChainSpec(windows)))), windows, 'with the optional windows')
  t.equal(serializeChainSpec(createTestSpec()).rollup, undefined, 'no rollup, no section')
})

t.test('chainSpecHash covers the rollup section', async (t) => {
  const plain = createTestSpec()
  const spec = withRollup(plain)
  t.not(chainSpecHash(spec), chainSpecHash(plain))
  const otherBridge = { ...spec, rollup: { ...TEST_ROLLUP, l1StandardBridge: '0x2000000000000000000000000000000000000004' as const } }
  t.not(chainSpecHash(otherBridge), chainSpecHash(spec))
  t.equal(chainSpecHash(withRollup(createTestSpec())), chainSpecHash(spec), 'deterministic')
})

t.test('the section is validated like the rollup.json fields', async (t) => {
  const good = serializeRollup(TEST_ROLLUP)
  t.same(parseRollup({ ...good, l1InfoForm: undefined }, 'rollup'), TEST_ROLLUP, 'l1InfoForm may be left out')
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['scalar', { ...good, baseFeeScalar: 2 ** 32 }, 'rollup.baseFeeScalar', GENESIS_ERROR.INVALID_FIELD],
    ['form', { ...good, l1InfoForm: 'isthmus' }, 'rollup.l1InfoForm', GENESIS_ERROR.INVALID_FIELD],
    ['decimals', { ...good, gasPayingToken: { ...good.gasPayingToken, decimals: 8 } }, 'rollup.gasPayingToken.decimals', GENESIS_ERROR.INVALID_FIELD],
    ['unknown', { ...good, bridge: '0x' }, 'rollup.bridge', GENESIS_ERROR.UNKNOWN_FIELD],
    ['missing', { ...good, l2OutputOracle: undefined }, 'rollup.l2OutputOracle', GENESIS_ERROR.MISSING_FIELD],
    ['window', { ...good, channelTimeout: '0' }, 'rollup.channelTimeout', GENESIS_ERROR.INVALID_FIELD],
  ]
  for (const [what, section, path, code] of cases) {
    t.throws(() => parseRollup(section, 'rollup'), { code, meta: { path } }, what)
  }
  const json = JSON.parse(JSON.stringify(serializeChainSpec(withRollup())))
  json.rollup.l1Genesis.hash = '0x12'
  t.throws(() => parseChainSpec(json), { code: GENESIS_ERROR.INVALID_FIELD, meta: { path: 'rollup.l1Genesis.hash' } }, 'through parseChainSpec')
})
