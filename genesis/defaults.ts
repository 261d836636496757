import { GENESIS_ERROR, fieldError } from './errors.ts'

/** The spec format version this node reads and writes. */
export const CHAIN_SPEC_VERSION = 1

/**
 * Values used for optional fields of our format (and of geth-style files where the geth config
 * has no equivalent). Documented in genesis/README.md.
 */
export const CHAIN_SPEC_DEFAULTS = {
  hardfork: 'prague',
  /** OP Stack's L2 block time */
  blockTime: 2,
  /** geth's and ethereumjs's InitialBaseFee (EIP-1559): 1 gwei */
  initialBaseFee: 1_000_000_000n,
  /** EIP-1559 BASE_FEE_MAX_CHANGE_DENOMINATOR */
  maxChangeDenominator: 8n,
  /** EIP-1559 ELASTICITY_MULTIPLIER */
  elasticityMultiplier: 2n,
  /** geth's default genesis gas limit is 4,712,388; ours targets one 30 Mgas L1-sized block */
  gasLimit: 30_000_000n,
  timestamp: 0n,
  extraData: '0x',
} as const

/** Smallest block gas limit: one plain transfer must fit. */
export const MIN_GAS_LIMIT = 21_000n
/** Largest header gas limit ethereumjs accepts (int64 range, as geth). */
export const MAX_GAS_LIMIT = (1n << 63n) - 1n
/** EIP-2294's bound on chain ids, so EIP-155 v values stay within 64 bits. */
export const MAX_CHAIN_ID = (1n << 63n) - 36n
/** Longest block time accepted: one day. */
export const MAX_BLOCK_TIME = 86_400

/** A chain name: 1-64 chars of [A-Za-z0-9._-] (it names data directories and log lines). */
export function readName(value: unknown, path: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, 'must be 1-64 characters of letters, digits, ".", "_" or "-"')
  }
  return value
}

/** The gas target (gasLimit / elasticity) must be at least 1 gas. */
export function checkElasticity(elasticity: bigint, gasLimit: bigint, path: string): void {
  if (elasticity > gasLimit) {
    throw fieldError(GENESIS_ERROR.INVALID_FIELD, path, `must be <= gasLimit (${gasLimit}) so the gas target is at least 1`)
  }
}
