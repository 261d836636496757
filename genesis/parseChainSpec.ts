import type { ChainSpec } from './types.ts'
import { CHAIN_SPEC_DEFAULTS, CHAIN_SPEC_VERSION, MAX_BLOCK_TIME, MAX_CHAIN_ID, MAX_GAS_LIMIT, MIN_GAS_LIMIT, checkElasticity, readName } from './defaults.ts'
import { GENESIS_ERROR, GenesisError, fieldError } from './errors.ts'
import { MAX_UINT64, isObject, readAddress, readHexData, readObject, readQuantity, readSmallInt, rejectUnknownKeys, requireField } from './fields.ts'
import { parseAlloc } from './parseAlloc.ts'
import { parseGethGenesis } from './parseGethGenesis.ts'
import { parseGovernance, requireGovernanceForVesting } from './parseGovernance.ts'
import { parseRollup } from './parseRollup.ts'
import { parseTokenomics, rejectAllocBalances } from './parseTokenomics.ts'

const TOP_LEVEL_FIELDS = [
  'version',
  'name',
  'chainId',
  'hardfork',
  'blockTime',
  'gasLimit',
  'baseFee',
  'feeRecipients',
  'sequencer',
  'timestamp',
  'extraData',
  'alloc',
  'tokenomics',
  'governance',
  'rollup',
] as const
const BASE_FEE_FIELDS = ['initial', 'maxChangeDenominator', 'elasticityMultiplier'] as const
const FEE_RECIPIENT_FIELDS = ['baseFee', 'priorityFee'] as const

/**
 * Validate a chain spec given as parsed JSON: our versioned format (has `version`) or a geth-style
 * genesis (has `config`). Every error is a GenesisError naming the JSON path of the bad field.
 * The result is normalised: bigints, lowercase hex, alloc sorted by address. An optional
 * `tokenomics` table is validated to the wei (parseTokenomics); with it, alloc balances must be 0.
 * An optional `rollup` section (parseRollup) turns the OP Stack rules on.
 *
 * @example
 * const spec = parseChainSpec(JSON.parse(readFileSync('genesis/devnet.json', 'utf8')))
 * spec.chainId // 1337n
 */
export function parseChainSpec(json: unknown): ChainSpec {
  if (!isObject(json)) {
    throw new GenesisError(GENESIS_ERROR.INVALID_FIELD, '(root) must be a JSON object', { path: '' })
  }
  if (json.version === undefined && isObject(json.config)) return parseGethGenesis(json)
  return parseOwnSpec(json)
}

function parseOwnSpec(json: Record<string, unknown>): ChainSpec {
  if (json.version === undefined) {
    throw fieldError(GENESIS_ERROR.MISSING_FIELD, 'version', `is required (${CHAIN_SPEC_VERSION}), or give a geth-style genesis with a "config" object`)
  }
  const version = readSmallInt(json.version, 'version', 1, Number.MAX_SAFE_INTEGER)
  if (version !== CHAIN_SPEC_VERSION) {
    throw fieldError(GENESIS_ERROR.UNSUPPORTED_VERSION, 'version', `${version} is not supported (this node reads version ${CHAIN_SPEC_VERSION})`)
  }
  rejectUnknownKeys(json, TOP_LEVEL_FIELDS, '')

  const chainId = readQuantity(requireField(json, 'chainId', ''), 'chainId', 1n, MAX_CHAIN_ID)
  const name = json.name === undefined ? `chain-${chainId}` : readName(json.name, 'name')
  if (json.hardfork !== undefined) readHardfork(json.hardfork, 'hardfork')
  const blockTime = json.blockTime === undefined ? CHAIN_SPEC_DEFAULTS.blockTime : readSmallInt(json.blockTime, 'blockTime', 1, MAX_BLOCK_TIME)
  const gasLimit = readQuantity(requireField(json, 'gasLimit', ''), 'gasLimit', MIN_GAS_LIMIT, MAX_GAS_LIMIT)
  const sequencer = readAddress(requireField(json, 'sequencer', ''), 'sequencer')

  const baseFeeRaw = json.baseFee === undefined ? {} : readObject(json.baseFee, 'baseFee')
  rejectUnknownKeys(baseFeeRaw, BASE_FEE_FIELDS, 'baseFee')
  const baseFee = {
    initial: baseFeeRaw.initial === undefined ? CHAIN_SPEC_DEFAULTS.initialBaseFee : readQuantity(baseFeeRaw.initial, 'baseFee.initial', 0n, MAX_UINT64),
    maxChangeDenominator:
      baseFeeRaw.maxChangeDenominator === undefined
        ? CHAIN_SPEC_DEFAULTS.maxChangeDenominator
        : readQuantity(baseFeeRaw.maxChangeDenominator, 'baseFee.maxChangeDenominator', 1n, MAX_UINT64),
    elasticityMultiplier:
      baseFeeRaw.elasticityMultiplier === undefined
        ? CHAIN_SPEC_DEFAULTS.elasticityMultiplier
        : readQuantity(baseFeeRaw.elasticityMultiplier, 'baseFee.elasticityMultiplier', 1n, MAX_UINT64),
  }
  checkElasticity(baseFee.elasticityMultiplier, gasLimit, 'baseFee.elasticityMultiplier')

  const recipientsRaw = json.feeRecipients === undefined ? {} : readObject(json.feeRecipients, 'feeRecipients')
  rejectUnknownKeys(recipientsRaw, FEE_RECIPIENT_FIELDS, 'feeRecipients')
  const feeRecipients = {
    baseFee: recipientsRaw.baseFee === undefined ? sequencer : readAddress(recipientsRaw.baseFee, 'feeRecipients.baseFee'),
    priorityFee: recipientsRaw.priorityFee === undefined ? sequencer : readAddress(recipientsRaw.priorityFee, 'feeRecipients.priorityFee'),
  }

  const spec: ChainSpec = {
    version: CHAIN_SPEC_VERSION,
    name,
    chainId,
    hardfork: 'prague',
    blockTime,
    gasLimit,
    baseFee,
    feeRecipients,
    sequencer,
    timestamp: json.timestamp === undefined ? CHAIN_SPEC_DEFAULTS.timestamp : readQuantity(json.timestamp, 'timestamp', 0n, MAX_UINT64),
    extraData: json.extraData === undefined ? CHAIN_SPEC_DEFAULTS.extraData : readHexData(json.extraData, 'extraData', 32),
    alloc: parseAlloc(requireField(json, 'alloc', ''), 'alloc', { strict: true, allowBareAddresses: false }),
  }
  if (json.governance !== undefined) spec.governance = parseGovernance(json.governance, 'governance')
  if (json.rollup !== undefined) spec.rollup = parseRollup(json.rollup, 'rollup')
  if (json.tokenomics !== undefined) {
    spec.tokenomics = parseTokenomics(json.tokenomics, 'tokenomics')
    rejectAllocBalances(spec.alloc, 'alloc')
    requireGovernanceForVesting(
      spec.tokenomics.buckets.some((b) => b.vesting.length > 0),
      spec.governance !== undefined,
    )
  }
  return spec
}

function readHardfork(value: unknown, path: string): 'prague' {
  if (value !== CHAIN_SPEC_DEFAULTS.hardfork) {
    throw fieldError(GENESIS_ERROR.UNSUPPORTED_HARDFORK, path, `must be "prague" (Prague rules from genesis, blob txs disabled); got ${JSON.stringify(value)}`)
  }
  return 'prague'
}
