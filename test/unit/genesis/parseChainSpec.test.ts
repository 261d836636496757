import t from 'tap'
import type { Test } from 'tap'
import { GENESIS_ERROR, GenesisError, parseChainSpec, serializeChainSpec } from '../../../genesis/index.ts'
import type { GenesisErrorCode } from '../../../genesis/index.ts'

const SEQ = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'

function base(): Record<string, any> {
  return {
    version: 1,
    name: 'test',
    chainId: 4242,
    hardfork: 'prague',
    blockTime: 1,
    gasLimit: '30000000',
    baseFee: { initial: '0x3b9aca00', maxChangeDenominator: 8, elasticityMultiplier: 2 },
    feeRecipients: { baseFee: '0x4200000000000000000000000000000000000019', priorityFee: SEQ },
    sequencer: SEQ,
    timestamp: 0,
    extraData: '0x',
    alloc: {
      '0x70997970C51812dc3A010C7d01b50e0d17dc79C8': { balance: '1000000000000000000000000000' },
      [SEQ]: { balance: '0x10', nonce: 1, code: '0x6000', storage: { '0x01': '0x02', '0x02': '0x0' } },
    },
  }
}

function expectError(t: Test, json: unknown, code: GenesisErrorCode, path: string, messagePart: string): void {
  try {
    parseChainSpec(json)
    t.fail(`expected ${code} at ${path}`)
  } catch (err) {
    t.ok(err instanceof GenesisError, `${path}: is a GenesisError`)
    const e = err as GenesisError
    t.equal(e.code, code, `${path}: code`)
    t.equal(e.meta.path, path, `${path}: meta.path`)
    t.ok(e.message.startsWith(path), `${path}: message names the field: ${e.message}`)
    t.match(e.message, messagePart, `${path}: message says what is wrong`)
  }
}

t.test('a valid spec parses and normalises', async (t) => {
  const spec = parseChainSpec(base())
  t.equal(spec.chainId, 4242n)
  t.equal(spec.gasLimit, 30_000_000n)
  t.equal(spec.baseFee.initial, 1_000_000_000n)
  t.equal(spec.baseFee.maxChangeDenominator, 8n)
  t.equal(spec.sequencer, SEQ.toLowerCase())
  t.same(Object.keys(spec.alloc), ['0x70997970c51812dc3a010c7d01b50e0d17dc79c8', '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'], 'alloc sorted, lowercase')
  const seq = spec.alloc['0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266']!
  t.equal(seq.balance, 16n)
  t.equal(seq.nonce, 1n)
  t.equal(seq.code, '0x6000')
  t.same(seq.storage, { [`0x${'0'.repeat(63)}1`]: `0x${'0'.repeat(63)}2` }, 'storage padded, zero slot dropped')
  t.equal(spec.alloc['0x70997970c51812dc3a010c7d01b50e0d17dc79c8']!.balance, 10n ** 27n, 'bigint-safe balance')
})

t.test('optional fields take documented defaults', async (t) => {
  const spec = parseChainSpec({ version: 1, chainId: '0x10', gasLimit: 21000, sequencer: SEQ, alloc: {} })
  t.equal(spec.name, 'chain-16')
  t.equal(spec.blockTime, 2)
  t.equal(spec.baseFee.initial, 1_000_000_000n)
  t.equal(spec.baseFee.maxChangeDenominator, 8n)
  t.equal(spec.baseFee.elasticityMultiplier, 2n)
  t.equal(spec.feeRecipients.baseFee, SEQ.toLowerCase())
  t.equal(spec.feeRecipients.priorityFee, SEQ.toLowerCase())
  t.equal(spec.timestamp, 0n)
  t.equal(spec.extraData, '0x')
})

t.test('serializeChainSpec round-trips', async (t) => {
  const spec = parseChainSpec(base())
  const json = JSON.parse(JSON.stringify(serializeChainSpec(spec)))
  t.same(parseChainSpec(json), spec)
})

t.test('every validation error names its field', async (t) => {
  const cases: [string, (j: Record<string, any>) => void, GenesisErrorCode, string, string][] = [
    [
      'missing version',
      (j) => {
        delete j.version
      },
      GENESIS_ERROR.MISSING_FIELD,
      'version',
      'is required',
    ],
    [
      'version 2',
      (j) => {
        j.version = 2
      },
      GENESIS_ERROR.UNSUPPORTED_VERSION,
      'version',
      'not supported',
    ],
    [
      'unknown field',
      (j) => {
        j.gaslimit = 1
      },
      GENESIS_ERROR.UNKNOWN_FIELD,
      'gaslimit',
      'not a known field',
    ],
    [
      'missing chainId',
      (j) => {
        delete j.chainId
      },
      GENESIS_ERROR.MISSING_FIELD,
      'chainId',
      'is required',
    ],
    [
      'chainId 0',
      (j) => {
        j.chainId = 0
      },
      GENESIS_ERROR.INVALID_FIELD,
      'chainId',
      'must be an integer >= 1',
    ],
    [
      'chainId float',
      (j) => {
        j.chainId = 1.5
      },
      GENESIS_ERROR.INVALID_FIELD,
      'chainId',
      'must be an integer',
    ],
    [
      'chainId unsafe number',
      (j) => {
        j.chainId = 2 ** 60
      },
      GENESIS_ERROR.INVALID_FIELD,
      'chainId',
      'decimal or 0x strings',
    ],
    [
      'chainId garbage',
      (j) => {
        j.chainId = '12abc'
      },
      GENESIS_ERROR.INVALID_FIELD,
      'chainId',
      'must be an integer',
    ],
    [
      'name',
      (j) => {
        j.name = 'has space'
      },
      GENESIS_ERROR.INVALID_FIELD,
      'name',
      'characters',
    ],
    [
      'hardfork',
      (j) => {
        j.hardfork = 'cancun'
      },
      GENESIS_ERROR.UNSUPPORTED_HARDFORK,
      'hardfork',
      'must be "prague"',
    ],
    [
      'blockTime 0',
      (j) => {
        j.blockTime = 0
      },
      GENESIS_ERROR.INVALID_FIELD,
      'blockTime',
      'must be an integer >= 1',
    ],
    [
      'blockTime huge',
      (j) => {
        j.blockTime = 100000
      },
      GENESIS_ERROR.INVALID_FIELD,
      'blockTime',
      'must be an integer <= 86400',
    ],
    [
      'gasLimit low',
      (j) => {
        j.gasLimit = 20999
      },
      GENESIS_ERROR.INVALID_FIELD,
      'gasLimit',
      '>= 21000',
    ],
    [
      'baseFee not object',
      (j) => {
        j.baseFee = 5
      },
      GENESIS_ERROR.INVALID_FIELD,
      'baseFee',
      'JSON object',
    ],
    [
      'baseFee.initial',
      (j) => {
        j.baseFee.initial = -1
      },
      GENESIS_ERROR.INVALID_FIELD,
      'baseFee.initial',
      'must be an integer >= 0',
    ],
    [
      'baseFee.maxChangeDenominator',
      (j) => {
        j.baseFee.maxChangeDenominator = 0
      },
      GENESIS_ERROR.INVALID_FIELD,
      'baseFee.maxChangeDenominator',
      'must be an integer >= 1',
    ],
    [
      'baseFee.elasticityMultiplier',
      (j) => {
        j.baseFee.elasticityMultiplier = 0
      },
      GENESIS_ERROR.INVALID_FIELD,
      'baseFee.elasticityMultiplier',
      'must be an integer >= 1',
    ],
    [
      'baseFee.elasticityMultiplier > gasLimit',
      (j) => {
        j.baseFee.elasticityMultiplier = '30000001'
      },
      GENESIS_ERROR.INVALID_FIELD,
      'baseFee.elasticityMultiplier',
      '<= gasLimit',
    ],
    [
      'baseFee unknown',
      (j) => {
        j.baseFee.target = 1
      },
      GENESIS_ERROR.UNKNOWN_FIELD,
      'baseFee.target',
      'not a known field',
    ],
    [
      'feeRecipients.baseFee',
      (j) => {
        j.feeRecipients.baseFee = '0x1234'
      },
      GENESIS_ERROR.INVALID_FIELD,
      'feeRecipients.baseFee',
      '20-byte hex address',
    ],
    [
      'feeRecipients.priorityFee checksum',
      (j) => {
        j.feeRecipients.priorityFee = '0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266'
      },
      GENESIS_ERROR.BAD_CHECKSUM,
      'feeRecipients.priorityFee',
      'EIP-55',
    ],
    [
      'missing sequencer',
      (j) => {
        delete j.sequencer
      },
      GENESIS_ERROR.MISSING_FIELD,
      'sequencer',
      'is required',
    ],
    [
      'sequencer without 0x',
      (j) => {
        j.sequencer = SEQ.slice(2)
      },
      GENESIS_ERROR.INVALID_FIELD,
      'sequencer',
      '0x-prefixed',
    ],
    [
      'timestamp',
      (j) => {
        j.timestamp = '0x1ffffffffffffffff'
      },
      GENESIS_ERROR.INVALID_FIELD,
      'timestamp',
      '<= 18446744073709551615',
    ],
    [
      'extraData odd',
      (j) => {
        j.extraData = '0x123'
      },
      GENESIS_ERROR.INVALID_FIELD,
      'extraData',
      'whole bytes',
    ],
    [
      'extraData long',
      (j) => {
        j.extraData = `0x${'00'.repeat(33)}`
      },
      GENESIS_ERROR.INVALID_FIELD,
      'extraData',
      'at most 32 bytes',
    ],
    [
      'missing alloc',
      (j) => {
        delete j.alloc
      },
      GENESIS_ERROR.MISSING_FIELD,
      'alloc',
      'is required',
    ],
    [
      'alloc bad address',
      (j) => {
        j.alloc['0xnothex'] = { balance: 1 }
      },
      GENESIS_ERROR.INVALID_FIELD,
      'alloc.0xnothex',
      '20-byte hex address',
    ],
    [
      'alloc duplicate',
      (j) => {
        j.alloc[SEQ.toLowerCase()] = { balance: 1 }
      },
      GENESIS_ERROR.DUPLICATE_ADDRESS,
      `alloc.${SEQ.toLowerCase()}`,
      'repeats address',
    ],
    [
      'alloc missing balance',
      (j) => {
        delete j.alloc[SEQ].balance
      },
      GENESIS_ERROR.MISSING_FIELD,
      `alloc.${SEQ}.balance`,
      'is required',
    ],
    [
      'alloc balance overflow',
      (j) => {
        j.alloc[SEQ].balance = `0x1${'0'.repeat(64)}`
      },
      GENESIS_ERROR.INVALID_FIELD,
      `alloc.${SEQ}.balance`,
      '<= 1157920892',
    ],
    [
      'alloc nonce',
      (j) => {
        j.alloc[SEQ].nonce = 'x'
      },
      GENESIS_ERROR.INVALID_FIELD,
      `alloc.${SEQ}.nonce`,
      'must be an integer',
    ],
    [
      'alloc code',
      (j) => {
        j.alloc[SEQ].code = 'zz'
      },
      GENESIS_ERROR.INVALID_FIELD,
      `alloc.${SEQ}.code`,
      'hex string',
    ],
    [
      'alloc unknown',
      (j) => {
        j.alloc[SEQ].privateKey = '0x01'
      },
      GENESIS_ERROR.UNKNOWN_FIELD,
      `alloc.${SEQ}.privateKey`,
      'not a known field',
    ],
    [
      'alloc storage value',
      (j) => {
        j.alloc[SEQ].storage['0x03'] = `0x${'11'.repeat(33)}`
      },
      GENESIS_ERROR.INVALID_FIELD,
      `alloc.${SEQ}.storage.0x03`,
      'at most 32 bytes',
    ],
    [
      'alloc storage key',
      (j) => {
        j.alloc[SEQ].storage.foo = '0x01'
      },
      GENESIS_ERROR.INVALID_FIELD,
      `alloc.${SEQ}.storage.foo`,
      'hex string',
    ],
    [
      'alloc storage not object',
      (j) => {
        j.alloc[SEQ].storage = []
      },
      GENESIS_ERROR.INVALID_FIELD,
      `alloc.${SEQ}.storage`,
      'JSON object',
    ],
  ]
  for (const [name, mutate, code, path, part] of cases) {
    const json = base()
    mutate(json)
    t.test(name, async (t) => expectError(t, json, code, path, part))
  }
})

t.test('root must be an object', async (t) => {
  t.throws(() => parseChainSpec([]), { code: GENESIS_ERROR.INVALID_FIELD })
  t.throws(() => parseChainSpec('x'), { code: GENESIS_ERROR.INVALID_FIELD })
})
