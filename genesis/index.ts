export type * from './types.ts'
export { GENESIS_ERROR, GenesisError } from './errors.ts'
export type { GenesisErrorCode } from './errors.ts'
export {
  CHAIN_SPEC_DEFAULTS,
  CHAIN_SPEC_VERSION,
  MAX_BLOCK_TIME,
  MAX_CHAIN_ID,
  MAX_GAS_LIMIT,
  MIN_GAS_LIMIT,
} from './defaults.ts'
export { toChecksumAddress } from './fields.ts'
export { parseChainSpec } from './parseChainSpec.ts'
export { parseGethGenesis } from './parseGethGenesis.ts'
export { serializeChainSpec } from './serializeChainSpec.ts'
export { GAS_TOKEN_DECIMALS, OP_STANDARD_WINDOWS, parseRollup, serializeRollup } from './parseRollup.ts'
export type { RollupJson } from './parseRollup.ts'
export { decodeEcotoneScalar, encodeEcotoneScalar, loadRollupConfig, parseRollupConfig, rollupConfigJson } from './parseRollupConfig.ts'
export type { EcotoneScalars, JsonInteger, RollupConfig, RollupConfigJson } from './parseRollupConfig.ts'
export type { ChainSpecJson, GenesisAccountJson, TokenomicsJson } from './serializeChainSpec.ts'
export { BPS, MAX_SCHEDULE_MONTHS } from './parseTokenomics.ts'
export { vestedAmount } from './vestedAmount.ts'
export { vestingSchedules } from './vestingSchedules.ts'
export { tokenomicsBalances } from './tokenomicsBalances.ts'
export { unlockCurve, unlockEndMonth } from './unlockCurve.ts'
export type { BucketCirculation, UnlockCurvePoint } from './unlockCurve.ts'
export { chainSpecHash } from './chainSpecHash.ts'
export { BUILTIN_CHAIN_SPECS, builtinChainSpecPath, isBuiltinChainSpecName, loadChainSpec } from './loadChainSpec.ts'
export type { BuiltinChainSpecName } from './loadChainSpec.ts'
export { DEV_ACCOUNTS, DEV_MNEMONIC } from './devAccounts.ts'
export type { DevAccount } from './devAccounts.ts'
