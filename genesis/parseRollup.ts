import { MAX_CHAIN_ID } from './defaults.ts'
import { GENESIS_ERROR, fieldError } from './errors.ts'
import { MAX_UINT64, readAddress, readObject, readQuantity, readSmallInt, rejectUnknownKeys } from './fields.ts'
import type { JsonObject } from './fields.ts'
import type { Hex, L1BlockId, RollupSpec } from './types.ts'

/** Largest uint32: the Ecotone fee scalars are uint32 in L1Block and the L1-info calldata. */
export const MAX_UINT32 = 0xffff_ffff

/**
 * op-node's standard `seq_window_size` and `channel_timeout` (L1 blocks), what a RollupSpec
 * without them stands for (OP Mainnet's rollup.json values).
 */
export const OP_STANDARD_WINDOWS = { seqWindowSize: 3600n, channelTimeout: 300n } as const

/** The one gas-token decimals CGT v1 accepts: SystemConfig.initialize refuses any other. */
export const GAS_TOKEN_DECIMALS = 18

// Constants.ETHER in the OP contracts: the gas token L1Block reports for an ETH chain
const ETHER_SENTINEL = '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'
const ZERO_ADDRESS = `0x${'0'.repeat(40)}`
const BYTES32 = /^0x[0-9a-fA-F]{64}$/

const GAS_TOKEN_FIELDS = ['address', 'decimals', 'name', 'symbol'] as const
const L1_BLOCK_FIELDS = ['hash', 'number'] as const

/**
 * The address-valued RollupSpec fields with their op-node rollup.json names (the L1 contracts the
 * L2 genesis points at; the last four are our extensions, written in op-node's snake_case).
 */
export const ROLLUP_ADDRESS_FIELDS = [
  ['depositContract', 'deposit_contract_address'],
  ['systemConfig', 'l1_system_config_address'],
  ['batchInbox', 'batch_inbox_address'],
  ['l1CrossDomainMessenger', 'l1_cross_domain_messenger_address'],
  ['l1StandardBridge', 'l1_standard_bridge_address'],
  ['l2OutputOracle', 'l2_output_oracle_address'],
  ['l2ProxyAdminOwner', 'l2_proxy_admin_owner'],
] as const

/** A RollupSpec key holding an address. */
export type RollupAddressKey = (typeof ROLLUP_ADDRESS_FIELDS)[number][0]

/** The fields of our `rollup` section: RollupSpec's keys. */
const ROLLUP_FIELDS = [
  'l1ChainId',
  'l1Genesis',
  ...ROLLUP_ADDRESS_FIELDS.map(([key]) => key),
  'batcher',
  'baseFeeScalar',
  'blobBaseFeeScalar',
  'gasPayingToken',
  'maxSequencerDrift',
  'seqWindowSize',
  'channelTimeout',
  'l1InfoForm',
] as const

/** One RollupSpec value as a document holds it: the raw JSON value and its path (for errors). */
export type RawField = { value: unknown; path: string }

/** The raw values a RollupSpec is read from, wherever a format keeps them. */
export type RawRollup = Record<RollupAddressKey | 'l1ChainId' | 'l1Genesis' | 'batcher' | 'gasPayingToken' | 'maxSequencerDrift', RawField> & {
  seqWindowSize?: RawField
  channelTimeout?: RawField
  /** already validated uint32s (our format stores them, rollup.json encodes them in one word) */
  scalars: { baseFeeScalar: number; blobBaseFeeScalar: number }
}

function present({ value, path }: RawField): unknown {
  if (value === undefined || value === null) throw fieldError(GENESIS_ERROR.MISSING_FIELD, path, 'is required')
  return value
}

/** An address that must not be zero (an L1 contract, an owner). */
export function readNonZeroAddress(value: unknown, path: string): Hex {
  const address = readAddress(value, path)
  if (address === ZERO_ADDRESS) throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must not be the zero address')
  return address
}

/** Exactly 32 bytes of 0x hex (a block hash, a SystemConfig word), returned lowercase. */
export function readBytes32(value: unknown, path: string): Hex {
  if (typeof value !== 'string' || !BYTES32.test(value))
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be 0x followed by exactly 32 bytes (64 hex digits)')
  return value.toLowerCase() as Hex
}

/** `{ hash, number }` of a block (op-node's BlockID JSON). */
export function readBlockId(value: unknown, path: string): L1BlockId {
  const raw = readObject(value, path)
  rejectUnknownKeys(raw, L1_BLOCK_FIELDS, path)
  return {
    number: readQuantity(present({ value: raw.number, path: `${path}.number` }), `${path}.number`, 0n, MAX_UINT64),
    hash: readBytes32(present({ value: raw.hash, path: `${path}.hash` }), `${path}.hash`),
  }
}

/**
 * A gas-token name or symbol as L1Block stores it: GasPayingToken.sanitize packs it into one
 * bytes32 (at most 32 UTF-8 bytes, left-aligned) and LibString.fromSmallString reads it back up to
 * the first zero byte, so a NUL would cut it short and an empty string reads as nothing.
 */
function readSmallString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be a string')
  const bytes = new TextEncoder().encode(value).length
  if (bytes < 1 || bytes > 32 || value.includes('\0')) {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, `must be 1-32 UTF-8 bytes without NUL (L1Block stores it in one bytes32); got ${bytes} bytes`)
  }
  return value
}

/** `{ address, decimals, name, symbol }` of the custom gas token (the same keys in both formats). */
export function readGasPayingToken(value: unknown, path: string): RollupSpec['gasPayingToken'] {
  const raw = readObject(value, path)
  rejectUnknownKeys(raw, GAS_TOKEN_FIELDS, path)
  const address = readNonZeroAddress(present({ value: raw.address, path: `${path}.address` }), `${path}.address`)
  if (address === ETHER_SENTINEL) throw fieldError(GENESIS_ERROR.INVALID_FIELD, `${path}.address`, 'is the ETH sentinel of the OP contracts, not an ERC-20')
  const decimals = readSmallInt(present({ value: raw.decimals, path: `${path}.decimals` }), `${path}.decimals`, 0, 255)
  if (decimals !== GAS_TOKEN_DECIMALS) {
    throw fieldError(
      GENESIS_ERROR.INVALID_FIELD,
      `${path}.decimals`,
      `must be ${GAS_TOKEN_DECIMALS} (CGT v1 SystemConfig accepts only 18-decimal gas tokens); got ${decimals}`,
    )
  }
  return {
    address,
    decimals,
    name: readSmallString(present({ value: raw.name, path: `${path}.name` }), `${path}.name`),
    symbol: readSmallString(present({ value: raw.symbol, path: `${path}.symbol` }), `${path}.symbol`),
  }
}

/** Validate raw rollup values into a RollupSpec (shared by our `rollup` section and rollup.json). */
export function readRollupSpec(raw: RawRollup): RollupSpec {
  const rollup: RollupSpec = {
    l1ChainId: readQuantity(present(raw.l1ChainId), raw.l1ChainId.path, 1n, MAX_CHAIN_ID),
    l1Genesis: readBlockId(present(raw.l1Genesis), raw.l1Genesis.path),
    depositContract: readNonZeroAddress(present(raw.depositContract), raw.depositContract.path),
    systemConfig: readNonZeroAddress(present(raw.systemConfig), raw.systemConfig.path),
    l1CrossDomainMessenger: readNonZeroAddress(present(raw.l1CrossDomainMessenger), raw.l1CrossDomainMessenger.path),
    l1StandardBridge: readNonZeroAddress(present(raw.l1StandardBridge), raw.l1StandardBridge.path),
    l2OutputOracle: readNonZeroAddress(present(raw.l2OutputOracle), raw.l2OutputOracle.path),
    batchInbox: readNonZeroAddress(present(raw.batchInbox), raw.batchInbox.path),
    batcher: readNonZeroAddress(present(raw.batcher), raw.batcher.path),
    baseFeeScalar: raw.scalars.baseFeeScalar,
    blobBaseFeeScalar: raw.scalars.blobBaseFeeScalar,
    gasPayingToken: readGasPayingToken(present(raw.gasPayingToken), raw.gasPayingToken.path),
    l2ProxyAdminOwner: readNonZeroAddress(present(raw.l2ProxyAdminOwner), raw.l2ProxyAdminOwner.path),
    maxSequencerDrift: readQuantity(present(raw.maxSequencerDrift), raw.maxSequencerDrift.path, 1n, MAX_UINT64),
    l1InfoForm: 'ecotone',
  }
  for (const key of ['seqWindowSize', 'channelTimeout'] as const) {
    const field = raw[key]
    if (field !== undefined && field.value !== undefined) rollup[key] = readQuantity(field.value, field.path, 1n, MAX_UINT64)
  }
  return rollup
}

/**
 * Validate our chain spec's `rollup` section (RollupSpec's keys; quantities as numbers or
 * strings; genesis/README.md). `l1InfoForm` may be omitted and must be "ecotone".
 */
export function parseRollup(value: unknown, path: string): RollupSpec {
  const obj: JsonObject = readObject(value, path)
  rejectUnknownKeys(obj, ROLLUP_FIELDS, path)
  const at = (key: string): RawField => ({ value: obj[key], path: `${path}.${key}` })
  if (obj.l1InfoForm !== undefined && obj.l1InfoForm !== 'ecotone') {
    throw fieldError(
      GENESIS_ERROR.INVALID_FIELD,
      `${path}.l1InfoForm`,
      `must be "ecotone" (the L1Block of the CGT-v1 contracts has no later setter); got ${JSON.stringify(obj.l1InfoForm)}`,
    )
  }
  const scalar = (key: string) => readSmallInt(present(at(key)), `${path}.${key}`, 0, MAX_UINT32)
  const raw: RawRollup = {
    l1ChainId: at('l1ChainId'),
    l1Genesis: at('l1Genesis'),
    batcher: at('batcher'),
    gasPayingToken: at('gasPayingToken'),
    maxSequencerDrift: at('maxSequencerDrift'),
    seqWindowSize: at('seqWindowSize'),
    channelTimeout: at('channelTimeout'),
    scalars: { baseFeeScalar: scalar('baseFeeScalar'), blobBaseFeeScalar: scalar('blobBaseFeeScalar') },
    ...rawAddresses((key) => at(key)),
  }
  return readRollupSpec(raw)
}

/** The address fields of a RawRollup, each located by `locate(ourKey, rollupJsonKey)`. */
export function rawAddresses(locate: (key: RollupAddressKey, rollupJsonKey: string) => RawField): Record<RollupAddressKey, RawField> {
  const out = {} as Record<RollupAddressKey, RawField>
  for (const [key, jsonKey] of ROLLUP_ADDRESS_FIELDS) out[key] = locate(key, jsonKey)
  return out
}

/** Our JSON of a RollupSpec (round-trips through parseRollup). */
export type RollupJson = {
  l1ChainId: string
  l1Genesis: { number: string; hash: Hex }
  depositContract: Hex
  systemConfig: Hex
  batchInbox: Hex
  l1CrossDomainMessenger: Hex
  l1StandardBridge: Hex
  l2OutputOracle: Hex
  l2ProxyAdminOwner: Hex
  batcher: Hex
  baseFeeScalar: number
  blobBaseFeeScalar: number
  gasPayingToken: { address: Hex; decimals: number; name: string; symbol: string }
  maxSequencerDrift: string
  seqWindowSize?: string
  channelTimeout?: string
  l1InfoForm: 'ecotone'
}

/** Write a RollupSpec in our JSON format (fixed key order, bigints as decimal strings). */
export function serializeRollup(r: RollupSpec): RollupJson {
  const json: RollupJson = {
    l1ChainId: r.l1ChainId.toString(),
    l1Genesis: { number: r.l1Genesis.number.toString(), hash: r.l1Genesis.hash },
    depositContract: r.depositContract,
    systemConfig: r.systemConfig,
    batchInbox: r.batchInbox,
    l1CrossDomainMessenger: r.l1CrossDomainMessenger,
    l1StandardBridge: r.l1StandardBridge,
    l2OutputOracle: r.l2OutputOracle,
    l2ProxyAdminOwner: r.l2ProxyAdminOwner,
    batcher: r.batcher,
    baseFeeScalar: r.baseFeeScalar,
    blobBaseFeeScalar: r.blobBaseFeeScalar,
    gasPayingToken: { ...r.gasPayingToken },
    maxSequencerDrift: r.maxSequencerDrift.toString(),
    l1InfoForm: r.l1InfoForm,
  }
  if (r.seqWindowSize !== undefined) json.seqWindowSize = r.seqWindowSize.toString()
  if (r.channelTimeout !== undefined) json.channelTimeout = r.channelTimeout.toString()
  return json
}
