import { MAX_BLOCK_TIME } from './defaults.ts'
import { GENESIS_ERROR, GenesisError, fieldError } from './errors.ts'
import { MAX_UINT64, isObject, readObject, readQuantity, readSmallInt, rejectUnknownKeys } from './fields.ts'
import { OP_STANDARD_WINDOWS, ROLLUP_ADDRESS_FIELDS, rawAddresses, readBlockId, readBytes32, readRollupSpec } from './parseRollup.ts'
import type { RawField } from './parseRollup.ts'
import { parseJsonFile } from './readJsonFile.ts'
import type { ChainSpec, Hex, RollupSpec } from './types.ts'

/** op-node fork times this node runs from genesis: each must be present and 0 (Ecotone L1-info from block 0). */
export const ROLLUP_GENESIS_FORKS = ['regolith_time', 'canyon_time', 'ecotone_time'] as const
/** A fork time that may be left out but, if given, must be 0 (Delta changes batch derivation only). */
const OPTIONAL_GENESIS_FORKS = ['delta_time'] as const
/**
 * Later forks this node does not implement: their L1Block, GasPriceOracle and derivation changes
 * are not in the CGT-v1 contracts (shared/specs/op-bridge.md §3.3), so a schedule naming them is refused.
 */
const UNSUPPORTED_FORKS = ['fjord_time', 'granite_time', 'holocene_time', 'isthmus_time', 'jovian_time', 'interop_time', 'pectra_blob_schedule_time'] as const

const TOP_LEVEL_FIELDS = [
  'genesis',
  'block_time',
  'max_sequencer_drift',
  'seq_window_size',
  'channel_timeout',
  'l1_chain_id',
  'l2_chain_id',
  ...ROLLUP_GENESIS_FORKS,
  ...OPTIONAL_GENESIS_FORKS,
  ...UNSUPPORTED_FORKS,
  ...ROLLUP_ADDRESS_FIELDS.map(([, jsonKey]) => jsonKey),
  'gas_paying_token',
] as const
const GENESIS_FIELDS = ['l1', 'l2', 'l2_time', 'system_config'] as const
// eip1559Params (Holocene) and operatorFeeParams (Isthmus) are written by newer op-nodes; zero = unused
const SYSTEM_CONFIG_FIELDS = ['batcherAddr', 'overhead', 'scalar', 'gasLimit', 'eip1559Params', 'operatorFeeParams'] as const
const ZERO_WORD = `0x${'0'.repeat(64)}` as Hex

/** A parsed op-node rollup.json: the RollupSpec it gives and the L2 genesis hash it names. */
export type RollupConfig = {
  rollup: RollupSpec
  /** `genesis.l2.hash`; undefined when zero (the file was written before the L2 genesis existed) */
  l2GenesisHash: Hex | undefined
}

/** Ecotone fee scalars (uint32 each), as the L1-info tx carries them. */
export type EcotoneScalars = { baseFeeScalar: number; blobBaseFeeScalar: number }

/**
 * Decode SystemConfig's `scalar` word (op-node's Ecotone encoding): version byte 1 carries
 * blobBaseFeeScalar in bytes 24..28 and baseFeeScalar in bytes 28..32 (bytes 1..24 zero);
 * version 0 (pre-Ecotone) is one uint32 baseFeeScalar (bytes 1..28 zero) and no blob scalar.
 * Other versions or non-zero padding are refused, as op-node's CheckEcotoneL1SystemConfigScalar does.
 */
export function decodeEcotoneScalar(word: Hex, path: string): EcotoneScalars {
  const digits = word.slice(2)
  const version = digits.slice(0, 2)
  const zeroPadded = (from: number, to: number) => /^0*$/.test(digits.slice(from * 2, to * 2))
  const uint32At = (offset: number) => Number.parseInt(digits.slice(offset * 2, offset * 2 + 8), 16)
  if (version === '01') {
    if (!zeroPadded(1, 24)) throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'is a version-1 (Ecotone) scalar whose bytes 1..24 are not zero')
    return { baseFeeScalar: uint32At(28), blobBaseFeeScalar: uint32At(24) }
  }
  if (version === '00') {
    if (!zeroPadded(1, 28)) throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'is a version-0 scalar that does not fit in uint32 (bytes 1..28 must be zero)')
    return { baseFeeScalar: uint32At(28), blobBaseFeeScalar: 0 }
  }
  throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, `has unknown scalar version 0x${version} (0 or 1)`)
}

/** The version-1 (Ecotone) `scalar` word of two uint32 scalars (inverse of decodeEcotoneScalar). */
export function encodeEcotoneScalar(scalars: EcotoneScalars): Hex {
  const u32 = (n: number) => n.toString(16).padStart(8, '0')
  return `0x01${'0'.repeat(46)}${u32(scalars.blobBaseFeeScalar)}${u32(scalars.baseFeeScalar)}`
}

function mismatch(path: string, given: bigint | number, what: string, expected: bigint | number): GenesisError {
  return fieldError(GENESIS_ERROR.ROLLUP_MISMATCH, path, `${given} does not match the chain spec's ${what} ${expected}`)
}

/**
 * Validate an op-node rollup.json (parsed JSON) for the L2 `spec` describes, and return the
 * RollupSpec to put in `spec.rollup`. Besides op-node's fields it needs our extensions, written
 * as extra top-level keys in op-node's style: `l1_cross_domain_messenger_address`,
 * `l1_standard_bridge_address`, `l2_output_oracle_address`, `l2_proxy_admin_owner` and
 * `gas_paying_token { address, decimals (18), name, symbol }`. `l2_chain_id`, `genesis.l2_time`,
 * `block_time` and `genesis.system_config.gasLimit` must equal the spec's chainId, timestamp,
 * blockTime and gasLimit (ROLLUP_MISMATCH); `genesis.l2.number` must be 0; regolith, canyon and
 * ecotone must be active at genesis and no later fork scheduled (UNSUPPORTED_HARDFORK). Every
 * error is a GenesisError whose path is the rollup.json field (`genesis.system_config.scalar`).
 *
 * @example
 * const { rollup } = parseRollupConfig(JSON.parse(readFileSync('rollup.json', 'utf8')), spec)
 * const l2Spec = { ...spec, rollup }
 */
export function parseRollupConfig(json: unknown, spec: ChainSpec): RollupConfig {
  if (!isObject(json)) throw new GenesisError(GENESIS_ERROR.INVALID_FIELD, '(root) must be a JSON object', { path: '' })
  rejectUnknownKeys(json, TOP_LEVEL_FIELDS, '')
  const at = (path: string, value: unknown): RawField => ({ value, path })
  const required = (obj: Record<string, unknown>, key: string, path: string): unknown => {
    if (obj[key] === undefined || obj[key] === null) throw fieldError(GENESIS_ERROR.MISSING_FIELD, path, 'is required')
    return obj[key]
  }

  const l2ChainId = readQuantity(required(json, 'l2_chain_id', 'l2_chain_id'), 'l2_chain_id', 1n)
  if (l2ChainId !== spec.chainId) throw mismatch('l2_chain_id', l2ChainId, 'chainId', spec.chainId)
  const blockTime = readSmallInt(required(json, 'block_time', 'block_time'), 'block_time', 1, MAX_BLOCK_TIME)
  if (blockTime !== spec.blockTime) throw mismatch('block_time', blockTime, 'blockTime', spec.blockTime)
  checkForks(json)

  const genesis = readObject(required(json, 'genesis', 'genesis'), 'genesis')
  rejectUnknownKeys(genesis, GENESIS_FIELDS, 'genesis')
  const l2Time = readQuantity(required(genesis, 'l2_time', 'genesis.l2_time'), 'genesis.l2_time', 0n, MAX_UINT64)
  if (l2Time !== spec.timestamp) throw mismatch('genesis.l2_time', l2Time, 'timestamp', spec.timestamp)
  const l2 = readBlockId(required(genesis, 'l2', 'genesis.l2'), 'genesis.l2')
  if (l2.number !== 0n) throw fieldError(GENESIS_ERROR.INVALID_FIELD, 'genesis.l2.number', `must be 0 (the L2 starts at its genesis block); got ${l2.number}`)

  const systemConfig = readObject(required(genesis, 'system_config', 'genesis.system_config'), 'genesis.system_config')
  rejectUnknownKeys(systemConfig, SYSTEM_CONFIG_FIELDS, 'genesis.system_config')
  const sc = (key: string) => `genesis.system_config.${key}`
  const gasLimit = readQuantity(required(systemConfig, 'gasLimit', sc('gasLimit')), sc('gasLimit'), 0n, MAX_UINT64)
  if (gasLimit !== spec.gasLimit) throw mismatch(sc('gasLimit'), gasLimit, 'gasLimit', spec.gasLimit)
  // Ecotone ignores the overhead; it is still a bytes32 in op-node's file
  readBytes32(required(systemConfig, 'overhead', sc('overhead')), sc('overhead'))
  for (const key of ['eip1559Params', 'operatorFeeParams']) {
    const value = systemConfig[key]
    if (value !== undefined && !(typeof value === 'string' && /^0x0*$/.test(value))) {
      throw fieldError(GENESIS_ERROR.UNSUPPORTED_CONFIG, sc(key), 'must be zero: the Holocene / Isthmus fee parameters are not supported')
    }
  }
  const scalars = decodeEcotoneScalar(readBytes32(required(systemConfig, 'scalar', sc('scalar')), sc('scalar')), sc('scalar'))

  const rollup = readRollupSpec({
    l1ChainId: at('l1_chain_id', json.l1_chain_id),
    l1Genesis: at('genesis.l1', genesis.l1),
    batcher: at(sc('batcherAddr'), systemConfig.batcherAddr),
    gasPayingToken: at('gas_paying_token', json.gas_paying_token),
    maxSequencerDrift: at('max_sequencer_drift', json.max_sequencer_drift),
    seqWindowSize: at('seq_window_size', required(json, 'seq_window_size', 'seq_window_size')),
    channelTimeout: at('channel_timeout', required(json, 'channel_timeout', 'channel_timeout')),
    scalars,
    ...rawAddresses((_key, jsonKey) => at(jsonKey, json[jsonKey])),
  })
  return { rollup, l2GenesisHash: l2.hash === ZERO_WORD ? undefined : l2.hash }
}

/**
 * {@link parseRollupConfig} of the rollup.json file `file` (`openledger init --rollup-config`);
 * errors name the file (`meta.file`) and the field.
 */
export function loadRollupConfig(file: string, spec: ChainSpec): RollupConfig {
  return parseJsonFile(file, 'rollup config', (json) => parseRollupConfig(json, spec))
}

function checkForks(json: Record<string, unknown>): void {
  const isSet = (value: unknown) => value !== undefined && value !== null
  for (const key of ROLLUP_GENESIS_FORKS) {
    if (!isSet(json[key])) {
      throw fieldError(GENESIS_ERROR.UNSUPPORTED_HARDFORK, key, 'is required and must be 0: this node runs Ecotone rules from genesis')
    }
  }
  for (const key of [...ROLLUP_GENESIS_FORKS, ...OPTIONAL_GENESIS_FORKS]) {
    if (isSet(json[key]) && readQuantity(json[key], key, 0n, MAX_UINT64) !== 0n) {
      throw fieldError(GENESIS_ERROR.UNSUPPORTED_HARDFORK, key, 'must be 0: this node runs Ecotone rules from genesis, no fork activates later')
    }
  }
  for (const key of UNSUPPORTED_FORKS) {
    if (isSet(json[key])) {
      throw fieldError(GENESIS_ERROR.UNSUPPORTED_HARDFORK, key, 'is not supported: the CGT-v1 contracts (L1Block 1.4.1-beta.1) stop at Ecotone; remove it')
    }
  }
}

/** A JSON integer where it is exact, else a decimal string (op-node reads numbers; ours reads both). */
export type JsonInteger = number | string

/** op-node's rollup.json (with our extensions), as {@link rollupConfigJson} writes it. */
export type RollupConfigJson = {
  genesis: {
    l1: { hash: Hex; number: JsonInteger }
    l2: { hash: Hex; number: 0 }
    l2_time: JsonInteger
    system_config: { batcherAddr: Hex; overhead: Hex; scalar: Hex; gasLimit: JsonInteger }
  }
  block_time: number
  max_sequencer_drift: JsonInteger
  seq_window_size: JsonInteger
  channel_timeout: JsonInteger
  l1_chain_id: JsonInteger
  l2_chain_id: JsonInteger
  regolith_time: 0
  canyon_time: 0
  delta_time: 0
  ecotone_time: 0
  batch_inbox_address: Hex
  deposit_contract_address: Hex
  l1_system_config_address: Hex
  l1_cross_domain_messenger_address: Hex
  l1_standard_bridge_address: Hex
  l2_output_oracle_address: Hex
  l2_proxy_admin_owner: Hex
  gas_paying_token: RollupSpec['gasPayingToken']
}

function jsonInteger(n: bigint): JsonInteger {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString()
}

/**
 * The op-node rollup.json of a rollup chain spec (what `optimism_rollupConfig` answers), with the
 * L2 genesis block's hash. The scalars are written in the version-1 (Ecotone) encoding, the
 * overhead as zero; `parseRollupConfig(rollupConfigJson(spec, h), spec).rollup` equals
 * `spec.rollup` (up to absent seq_window_size / channel_timeout, written as op-node's standard values).
 */
export function rollupConfigJson(spec: ChainSpec & { rollup: RollupSpec }, l2GenesisHash: Hex): RollupConfigJson {
  const r = spec.rollup
  return {
    genesis: {
      l1: { hash: r.l1Genesis.hash, number: jsonInteger(r.l1Genesis.number) },
      l2: { hash: l2GenesisHash, number: 0 },
      l2_time: jsonInteger(spec.timestamp),
      system_config: { batcherAddr: r.batcher, overhead: ZERO_WORD, scalar: encodeEcotoneScalar(r), gasLimit: jsonInteger(spec.gasLimit) },
    },
    block_time: spec.blockTime,
    max_sequencer_drift: jsonInteger(r.maxSequencerDrift),
    seq_window_size: jsonInteger(r.seqWindowSize ?? OP_STANDARD_WINDOWS.seqWindowSize),
    channel_timeout: jsonInteger(r.channelTimeout ?? OP_STANDARD_WINDOWS.channelTimeout),
    l1_chain_id: jsonInteger(r.l1ChainId),
    l2_chain_id: jsonInteger(spec.chainId),
    regolith_time: 0,
    canyon_time: 0,
    delta_time: 0,
    ecotone_time: 0,
    batch_inbox_address: r.batchInbox,
    deposit_contract_address: r.depositContract,
    l1_system_config_address: r.systemConfig,
    l1_cross_domain_messenger_address: r.l1CrossDomainMessenger,
    l1_standard_bridge_address: r.l1StandardBridge,
    l2_output_oracle_address: r.l2OutputOracle,
    l2_proxy_admin_owner: r.l2ProxyAdminOwner,
    gas_paying_token: { ...r.gasPayingToken },
  }
}
