import type { ChainSpec, Hex } from './types.ts'
import { CHAIN_SPEC_DEFAULTS, CHAIN_SPEC_VERSION, MAX_BLOCK_TIME, MAX_CHAIN_ID, MAX_GAS_LIMIT, MIN_GAS_LIMIT, checkElasticity, readName } from './defaults.ts'
import { GENESIS_ERROR, fieldError } from './errors.ts'
import type { JsonObject } from './fields.ts'
import { MAX_UINT64, joinPath, readAddress, readHexData, readObject, readQuantity, readSmallInt, readWord, rejectUnknownKeys, requireField } from './fields.ts'
import { parseAlloc } from './parseAlloc.ts'

const ZERO_ADDRESS: Hex = `0x${'0'.repeat(40)}`
const ZERO_HASH: Hex = `0x${'0'.repeat(64)}`

/** Forks scheduled after Prague: we cannot run them, so they must be absent. */
const POST_PRAGUE_FORKS = [
  'osakaTime',
  'amsterdamTime',
  'verkleTime',
  'bpo1Time',
  'bpo2Time',
  'bpo3Time',
  'bpo4Time',
  'bpo5Time',
  'jovianTime',
  'interopTime',
] as const

/** Fields of our `config.openledger` extension (what geth's config cannot say). */
const OPENLEDGER_FIELDS = ['name', 'blockTime', 'sequencer', 'feeRecipients', 'baseFee'] as const

/**
 * Map a geth-style genesis.json (`config` + header fields + `alloc`) to a ChainSpec.
 *
 * - Fork schedule: every `*Block` / `*Time` activation must be 0 and `config.pragueTime` must be
 *   present (Prague from genesis); forks after Prague (osakaTime, bpo*Time, ...) must be absent.
 *   A config that stops before Prague, or activates a fork later, is UNSUPPORTED_HARDFORK.
 * - `config.clique` and `daoForkSupport: true` cannot be honoured: UNSUPPORTED_CONFIG.
 *   `ethash`, `blobSchedule`, `difficulty`, `mixHash`, `nonce` are ignored (no PoW, no blobs).
 * - gasLimit, baseFeePerGas, timestamp, extraData map directly; `coinbase` becomes the sequencer
 *   and both fee recipients. `config.optimism.eip1559*` set the base-fee parameters.
 * - `config.openledger` { name, blockTime, sequencer, feeRecipients, baseFee } overrides the rest.
 * Unspecified values take CHAIN_SPEC_DEFAULTS (see genesis/README.md).
 */
export function parseGethGenesis(json: JsonObject): ChainSpec {
  const config = readObject(json.config, 'config')
  const chainId = readQuantity(requireField(config, 'chainId', 'config'), 'config.chainId', 1n, MAX_CHAIN_ID)
  checkForkSchedule(config)

  if (json.number !== undefined && json.number !== null && readQuantity(json.number, 'number') !== 0n) {
    throw fieldError(GENESIS_ERROR.UNSUPPORTED_CONFIG, 'number', 'must be 0 (a genesis block is block 0)')
  }
  if (json.gasUsed !== undefined && json.gasUsed !== null && readQuantity(json.gasUsed, 'gasUsed') !== 0n) {
    throw fieldError(GENESIS_ERROR.UNSUPPORTED_CONFIG, 'gasUsed', 'must be 0 (a genesis block runs no txs)')
  }
  if (json.parentHash !== undefined && json.parentHash !== null && readWord(json.parentHash, 'parentHash') !== ZERO_HASH) {
    throw fieldError(GENESIS_ERROR.UNSUPPORTED_CONFIG, 'parentHash', 'must be the zero hash')
  }

  const gasLimit =
    json.gasLimit === undefined || json.gasLimit === null ? CHAIN_SPEC_DEFAULTS.gasLimit : readQuantity(json.gasLimit, 'gasLimit', MIN_GAS_LIMIT, MAX_GAS_LIMIT)
  const coinbase = json.coinbase === undefined || json.coinbase === null ? ZERO_ADDRESS : readAddress(json.coinbase, 'coinbase', true)

  const optimism = config.optimism === undefined || config.optimism === null ? {} : readObject(config.optimism, 'config.optimism')
  const ext = config.openledger === undefined || config.openledger === null ? {} : readObject(config.openledger, 'config.openledger')
  rejectUnknownKeys(ext, OPENLEDGER_FIELDS, 'config.openledger')
  const extBaseFee = ext.baseFee === undefined ? {} : readObject(ext.baseFee, 'config.openledger.baseFee')
  rejectUnknownKeys(extBaseFee, ['maxChangeDenominator', 'elasticityMultiplier'], 'config.openledger.baseFee')
  const extRecipients = ext.feeRecipients === undefined ? {} : readObject(ext.feeRecipients, 'config.openledger.feeRecipients')
  rejectUnknownKeys(extRecipients, ['baseFee', 'priorityFee'], 'config.openledger.feeRecipients')

  // Canyon (active from genesis here) replaced eip1559Denominator with eip1559DenominatorCanyon.
  const denominator = firstQuantity(
    [
      ['config.openledger.baseFee.maxChangeDenominator', extBaseFee.maxChangeDenominator],
      ['config.optimism.eip1559DenominatorCanyon', optimism.eip1559DenominatorCanyon],
      ['config.optimism.eip1559Denominator', optimism.eip1559Denominator],
    ],
    1n,
  )
  const elasticity = firstQuantity(
    [
      ['config.openledger.baseFee.elasticityMultiplier', extBaseFee.elasticityMultiplier],
      ['config.optimism.eip1559Elasticity', optimism.eip1559Elasticity],
    ],
    1n,
  )
  const maxChangeDenominator = denominator?.value ?? CHAIN_SPEC_DEFAULTS.maxChangeDenominator
  const elasticityMultiplier = elasticity?.value ?? CHAIN_SPEC_DEFAULTS.elasticityMultiplier
  if (elasticity !== undefined) checkElasticity(elasticityMultiplier, gasLimit, elasticity.path)

  const sequencer = ext.sequencer === undefined ? coinbase : readAddress(ext.sequencer, 'config.openledger.sequencer')
  return {
    version: CHAIN_SPEC_VERSION,
    name: ext.name === undefined ? `chain-${chainId}` : readName(ext.name, 'config.openledger.name'),
    chainId,
    hardfork: 'prague',
    blockTime: ext.blockTime === undefined ? CHAIN_SPEC_DEFAULTS.blockTime : readSmallInt(ext.blockTime, 'config.openledger.blockTime', 1, MAX_BLOCK_TIME),
    gasLimit,
    baseFee: {
      initial:
        json.baseFeePerGas === undefined || json.baseFeePerGas === null
          ? CHAIN_SPEC_DEFAULTS.initialBaseFee
          : readQuantity(json.baseFeePerGas, 'baseFeePerGas', 0n, MAX_UINT64),
      maxChangeDenominator,
      elasticityMultiplier,
    },
    feeRecipients: {
      baseFee: extRecipients.baseFee === undefined ? coinbase : readAddress(extRecipients.baseFee, 'config.openledger.feeRecipients.baseFee'),
      priorityFee: extRecipients.priorityFee === undefined ? coinbase : readAddress(extRecipients.priorityFee, 'config.openledger.feeRecipients.priorityFee'),
    },
    sequencer,
    timestamp:
      json.timestamp === undefined || json.timestamp === null ? CHAIN_SPEC_DEFAULTS.timestamp : readQuantity(json.timestamp, 'timestamp', 0n, MAX_UINT64),
    extraData: json.extraData === undefined || json.extraData === null ? CHAIN_SPEC_DEFAULTS.extraData : readHexData(json.extraData, 'extraData', 32),
    alloc: json.alloc === undefined || json.alloc === null ? {} : parseAlloc(json.alloc, 'alloc', { strict: false, allowBareAddresses: true }),
  }
}

function checkForkSchedule(config: JsonObject): void {
  if (config.clique !== undefined && config.clique !== null) {
    throw fieldError(
      GENESIS_ERROR.UNSUPPORTED_CONFIG,
      'config.clique',
      'is not supported: blocks are produced by one sequencer (set coinbase or config.openledger.sequencer instead)',
    )
  }
  if (config.daoForkSupport === true) {
    throw fieldError(GENESIS_ERROR.UNSUPPORTED_CONFIG, 'config.daoForkSupport', 'must not be true: the DAO irregular state change is not supported')
  }
  for (const key of POST_PRAGUE_FORKS) {
    if (config[key] !== undefined && config[key] !== null) {
      throw fieldError(GENESIS_ERROR.UNSUPPORTED_HARDFORK, joinPath('config', key), 'is not supported: this node runs Prague rules and no later fork')
    }
  }
  for (const key of Object.keys(config).sort()) {
    if (!/(Block|Time)$/.test(key) || key === 'daoForkBlock' || config[key] === null) continue
    if (readQuantity(config[key], joinPath('config', key), 0n, MAX_UINT64) !== 0n) {
      throw fieldError(
        GENESIS_ERROR.UNSUPPORTED_HARDFORK,
        joinPath('config', key),
        'must be 0: this node runs one rule set (Prague) from genesis and cannot schedule a later fork',
      )
    }
  }
  if (config.pragueTime === undefined || config.pragueTime === null) {
    throw fieldError(
      GENESIS_ERROR.UNSUPPORTED_HARDFORK,
      'config.pragueTime',
      'is required and must be 0: this config stops before Prague, and this node runs Prague rules from genesis',
    )
  }
  if (
    config.terminalTotalDifficulty !== undefined &&
    config.terminalTotalDifficulty !== null &&
    readQuantity(config.terminalTotalDifficulty, 'config.terminalTotalDifficulty') !== 0n
  ) {
    throw fieldError(GENESIS_ERROR.UNSUPPORTED_HARDFORK, 'config.terminalTotalDifficulty', 'must be 0: the chain is post-merge from genesis')
  }
}

/** The first present quantity among [path, value] candidates, validated >= min, with its path. */
function firstQuantity(candidates: [string, unknown][], min: bigint): { value: bigint; path: string } | undefined {
  for (const [path, value] of candidates) {
    if (value !== undefined && value !== null) return { value: readQuantity(value, path, min, MAX_UINT64), path }
  }
  return undefined
}
