import t from 'tap'
import { GENESIS_ERROR, GenesisError, parseChainSpec } from '../../../genesis/index.ts'

/** A geth `init`-style genesis as geth, reth and anvil users write it (Prague from genesis). */
function gethGenesis(): Record<string, any> {
  return {
    config: {
      chainId: 31337,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      mergeNetsplitBlock: 0,
      terminalTotalDifficulty: 0,
      terminalTotalDifficultyPassed: true,
      shanghaiTime: 0,
      cancunTime: 0,
      pragueTime: 0,
      blobSchedule: { cancun: { target: 3, max: 6, baseFeeUpdateFraction: 3338477 } },
      ethash: {},
    },
    nonce: '0x0',
    timestamp: '0x6553f100',
    extraData: '0x1234',
    gasLimit: '0x1c9c380',
    difficulty: '0x0',
    mixHash: `0x${'0'.repeat(64)}`,
    coinbase: '0x4200000000000000000000000000000000000011',
    baseFeePerGas: '0x7',
    number: '0x0',
    gasUsed: '0x0',
    parentHash: `0x${'0'.repeat(64)}`,
    alloc: {
      f39fd6e51aad88f6f4ce6ab8827279cfffb92266: { balance: '0xd3c21bcecceda1000000', privateKey: '0xac09' },
      '0x0000000000000000000000000000000000000100': { code: '0x60016000', storage: { '0x0': '0x1' }, balance: '0' },
    },
  }
}

t.test('geth-style genesis maps to a ChainSpec', async (t) => {
  const spec = parseChainSpec(gethGenesis())
  t.equal(spec.version, 1)
  t.equal(spec.chainId, 31337n)
  t.equal(spec.name, 'chain-31337')
  t.equal(spec.hardfork, 'prague')
  t.equal(spec.gasLimit, 30_000_000n)
  t.equal(spec.timestamp, 0x6553f100n)
  t.equal(spec.extraData, '0x1234')
  t.equal(spec.baseFee.initial, 7n)
  t.equal(spec.baseFee.maxChangeDenominator, 8n, 'default denominator')
  t.equal(spec.baseFee.elasticityMultiplier, 2n, 'default elasticity')
  t.equal(spec.blockTime, 2, 'default block time')
  t.equal(spec.sequencer, '0x4200000000000000000000000000000000000011', 'coinbase is the sequencer')
  t.same(spec.feeRecipients, {
    baseFee: '0x4200000000000000000000000000000000000011',
    priorityFee: '0x4200000000000000000000000000000000000011',
  })
  t.same(Object.keys(spec.alloc), ['0x0000000000000000000000000000000000000100', '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'])
  t.equal(spec.alloc['0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266']!.balance, 1_000_000n * 10n ** 18n)
  t.same(spec.alloc['0x0000000000000000000000000000000000000100']!.storage, { [`0x${'0'.repeat(64)}`]: `0x${'0'.repeat(63)}1` })
})

t.test('missing optional geth fields take defaults', async (t) => {
  const spec = parseChainSpec({ config: { chainId: 5, pragueTime: 0 } })
  t.equal(spec.gasLimit, 30_000_000n)
  t.equal(spec.baseFee.initial, 1_000_000_000n)
  t.equal(spec.sequencer, `0x${'0'.repeat(40)}`)
  t.same(spec.alloc, {})
})

t.test('optimism eip1559 params and the openledger extension', async (t) => {
  const g = gethGenesis()
  g.config.optimism = { eip1559Elasticity: 6, eip1559Denominator: 50, eip1559DenominatorCanyon: 250 }
  let spec = parseChainSpec(g)
  t.equal(spec.baseFee.maxChangeDenominator, 250n, 'Canyon denominator wins')
  t.equal(spec.baseFee.elasticityMultiplier, 6n)
  g.config.openledger = {
    name: 'my-l2',
    blockTime: 1,
    sequencer: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    feeRecipients: { baseFee: '0x4200000000000000000000000000000000000019' },
    baseFee: { maxChangeDenominator: 16 },
  }
  spec = parseChainSpec(g)
  t.equal(spec.name, 'my-l2')
  t.equal(spec.blockTime, 1)
  t.equal(spec.sequencer, '0x70997970c51812dc3a010c7d01b50e0d17dc79c8')
  t.equal(spec.feeRecipients.baseFee, '0x4200000000000000000000000000000000000019')
  t.equal(spec.feeRecipients.priorityFee, '0x4200000000000000000000000000000000000011', 'unset recipient stays coinbase')
  t.equal(spec.baseFee.maxChangeDenominator, 16n)
})

t.test('configs that cannot be honoured are refused, naming the field', async (t) => {
  const cases: [string, (g: Record<string, any>) => void, string, string][] = [
    [
      'pre-Prague config (no pragueTime)',
      (g) => {
        delete g.config.pragueTime
      },
      'config.pragueTime',
      GENESIS_ERROR.UNSUPPORTED_HARDFORK,
    ],
    [
      'Prague later',
      (g) => {
        g.config.pragueTime = 1700000000
      },
      'config.pragueTime',
      GENESIS_ERROR.UNSUPPORTED_HARDFORK,
    ],
    [
      'London later',
      (g) => {
        g.config.londonBlock = 5
      },
      'config.londonBlock',
      GENESIS_ERROR.UNSUPPORTED_HARDFORK,
    ],
    [
      'Osaka scheduled',
      (g) => {
        g.config.osakaTime = 0
      },
      'config.osakaTime',
      GENESIS_ERROR.UNSUPPORTED_HARDFORK,
    ],
    [
      'pre-merge',
      (g) => {
        g.config.terminalTotalDifficulty = '0x100'
      },
      'config.terminalTotalDifficulty',
      GENESIS_ERROR.UNSUPPORTED_HARDFORK,
    ],
    [
      'clique',
      (g) => {
        g.config.clique = { period: 5, epoch: 30000 }
      },
      'config.clique',
      GENESIS_ERROR.UNSUPPORTED_CONFIG,
    ],
    [
      'dao fork',
      (g) => {
        g.config.daoForkSupport = true
        g.config.daoForkBlock = 0
      },
      'config.daoForkSupport',
      GENESIS_ERROR.UNSUPPORTED_CONFIG,
    ],
    [
      'missing chainId',
      (g) => {
        delete g.config.chainId
      },
      'config.chainId',
      GENESIS_ERROR.MISSING_FIELD,
    ],
    [
      'bad gasLimit',
      (g) => {
        g.gasLimit = '0x10'
      },
      'gasLimit',
      GENESIS_ERROR.INVALID_FIELD,
    ],
    [
      'bad coinbase',
      (g) => {
        g.coinbase = '0x12'
      },
      'coinbase',
      GENESIS_ERROR.INVALID_FIELD,
    ],
    [
      'nonzero number',
      (g) => {
        g.number = '0x1'
      },
      'number',
      GENESIS_ERROR.UNSUPPORTED_CONFIG,
    ],
    [
      'clique-size extraData',
      (g) => {
        g.extraData = `0x${'00'.repeat(97)}`
      },
      'extraData',
      GENESIS_ERROR.INVALID_FIELD,
    ],
    [
      'bad alloc balance',
      (g) => {
        g.alloc.f39fd6e51aad88f6f4ce6ab8827279cfffb92266.balance = 'lots'
      },
      'alloc.f39fd6e51aad88f6f4ce6ab8827279cfffb92266.balance',
      GENESIS_ERROR.INVALID_FIELD,
    ],
    [
      'elasticity too large',
      (g) => {
        g.config.optimism = { eip1559Elasticity: '0x1c9c381' }
      },
      'config.optimism.eip1559Elasticity',
      GENESIS_ERROR.INVALID_FIELD,
    ],
    [
      'extension typo',
      (g) => {
        g.config.openledger = { blocktime: 1 }
      },
      'config.openledger.blocktime',
      GENESIS_ERROR.UNKNOWN_FIELD,
    ],
  ]
  for (const [name, mutate, path, code] of cases) {
    const g = gethGenesis()
    mutate(g)
    const err = t.throws(() => parseChainSpec(g), name) as unknown
    t.ok(err instanceof GenesisError, `${name}: GenesisError`)
    t.equal((err as GenesisError).code, code, `${name}: code`)
    t.equal((err as GenesisError).meta.path, path, `${name}: path`)
    t.ok((err as GenesisError).message.startsWith(path), `${name}: message names ${path}: ${(err as GenesisError).message}`)
  }
})
