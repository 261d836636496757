import { type Common, type CustomCrypto, type ParamsDict, createCustomCommon, Mainnet } from '@ethereumjs/common'
import { paramsBlock } from '@ethereumjs/block'
import { paramsTx } from '@ethereumjs/tx'
import type { ChainSpec } from '../genesis/index.ts'

/** The one EVM rule set of the chain, active from genesis (all earlier forks at block 0 / timestamp 0). */
export const CHAIN_HARDFORK = 'prague'

// Mainnet's forks up to and including Prague. `dao` is left out (it rewrites balances at its
// fork block); the block-numbered forks start at 0 and the timestamp forks at 0.
const BLOCK_FORKS = [
  'chainstart',
  'homestead',
  'tangerineWhistle',
  'spuriousDragon',
  'byzantium',
  'constantinople',
  'petersburg',
  'istanbul',
  'muirGlacier',
  'berlin',
  'london',
  'arrowGlacier',
  'grayGlacier',
  'paris',
] as const
const TIMESTAMP_FORKS = ['shanghai', 'cancun', 'prague'] as const

/** Options of {@link createChainCommon}. */
export type ChainCommonOptions = {
  /** fast keccak / ecrecover / sha256 (node/crypto); @noble is used where absent */
  customCrypto?: CustomCrypto
}

/** Defaults of {@link createChainCommon}: pure-JS (@noble) crypto. */
export const defaultChainCommonOptions: ChainCommonOptions = {}

function cloneParams(dict: ParamsDict): ParamsDict {
  return JSON.parse(JSON.stringify(dict)) as ParamsDict
}

/**
 * The full parameter dictionary (block + tx EIP parameters) with the spec's EIP-1559 values.
 *
 * ethereumjs libraries push their default dictionaries into the (shared) Common whenever a header
 * or tx is constructed, with their defaults winning (params overwrite trap, specs/ethereumjs.md
 * §2.3). Passing this complete dictionary as `params` to every block / tx constructor keeps the
 * spec's values in force. Consensus code does not rely on it: the base fee is computed by
 * runtime's own {@link calcNextBaseFee}.
 */
export function chainParams(spec: ChainSpec): ParamsDict {
  const merged: ParamsDict = cloneParams(paramsTx)
  for (const [eip, values] of Object.entries(cloneParams(paramsBlock))) {
    merged[eip] = { ...(merged[eip] ?? {}), ...values }
  }
  merged['1559'] = {
    ...(merged['1559'] ?? {}),
    // strings: Common.param() reads them with BigInt(), so no precision is lost
    baseFeeMaxChangeDenominator: spec.baseFee.maxChangeDenominator.toString(),
    elasticityMultiplier: spec.baseFee.elasticityMultiplier.toString(),
    initialBaseFee: spec.baseFee.initial.toString(),
  }
  return merged
}

/**
 * The chain's Common: chain id from the spec, Prague (and every earlier fork) active from
 * genesis, proof-of-stake style headers (no difficulty, no uncles, no block reward), the spec's
 * EIP-1559 parameters, optional fast crypto. Blob txs are rejected by runtime/tx, not here
 * (Cancun's header fields stay, fixed at zero).
 *
 * @example
 * const common = createChainCommon(spec, { customCrypto: await createFastCrypto() })
 */
export function createChainCommon(spec: ChainSpec, options: ChainCommonOptions = defaultChainCommonOptions): Common {
  const hardforks = [
    ...BLOCK_FORKS.map((name) => ({ name, block: 0 })),
    ...TIMESTAMP_FORKS.map((name) => ({ name, block: null, timestamp: 0 })),
  ]
  return createCustomCommon(
    {
      name: spec.name,
      chainId: spec.chainId.toString(),
      defaultHardfork: CHAIN_HARDFORK,
      consensus: { type: 'pos', algorithm: 'casper' },
      genesis: {
        gasLimit: `0x${spec.gasLimit.toString(16)}`,
        difficulty: 0,
        nonce: '0x0000000000000000',
        extraData: spec.extraData,
        baseFeePerGas: `0x${spec.baseFee.initial.toString(16)}`,
        timestamp: `0x${spec.timestamp.toString(16)}`,
      },
      hardforks,
      bootstrapNodes: [],
      dnsNetworks: [],
    },
    Mainnet,
    {
      hardfork: CHAIN_HARDFORK,
      params: chainParams(spec),
      ...(options.customCrypto !== undefined ? { customCrypto: options.customCrypto } : {}),
    },
  )
}
