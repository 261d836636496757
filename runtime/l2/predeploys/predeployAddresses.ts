import type { Hex } from '../../../genesis/index.ts'

/**
 * The OP Stack L2 predeploys a rollup genesis installs (OP specs predeploys.md, contracts-bedrock
 * src/libraries/Predeploys.sol), each a Proxy whose implementation sits at
 * {@link predeployImplementation}. Addresses lowercase.
 */
export const PREDEPLOYS = {
  L2CrossDomainMessenger: '0x4200000000000000000000000000000000000007',
  GasPriceOracle: '0x420000000000000000000000000000000000000f',
  L2StandardBridge: '0x4200000000000000000000000000000000000010',
  SequencerFeeVault: '0x4200000000000000000000000000000000000011',
  OptimismMintableERC20Factory: '0x4200000000000000000000000000000000000012',
  L1Block: '0x4200000000000000000000000000000000000015',
  L2ToL1MessagePasser: '0x4200000000000000000000000000000000000016',
  ProxyAdmin: '0x4200000000000000000000000000000000000018',
  BaseFeeVault: '0x4200000000000000000000000000000000000019',
  L1FeeVault: '0x420000000000000000000000000000000000001a',
} as const satisfies Record<string, Hex>

/** A predeploy's contract name (its artifact name in contracts-bedrock). */
export type PredeployName = keyof typeof PREDEPLOYS

/** Multicall3's address on every chain (a preinstall: plain code, no proxy); viem's L2 actions need it. */
export const MULTICALL3_ADDRESS = '0xca11bde05977b3631167028862be2a173976ca11' as const

/** L1Block.DEPOSITOR_ACCOUNT: the sender of the L1-info and SystemConfig deposits (no known key). */
export const DEPOSITOR_ACCOUNT = '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001' as const

/** EIP-1967 admin slot: keccak256("eip1967.proxy.admin") - 1. */
export const EIP1967_ADMIN_SLOT = '0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103' as const
/** EIP-1967 implementation slot: keccak256("eip1967.proxy.implementation") - 1. */
export const EIP1967_IMPLEMENTATION_SLOT = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc' as const

/**
 * Where a predeploy's implementation code lives: the "code namespace" 0xc0d3c0d3…c0d3 followed by
 * the predeploy's last two bytes (L2Genesis' Predeploys.predeployToCodeNamespace).
 *
 * @example
 * predeployImplementation(PREDEPLOYS.L1Block) // '0xc0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d30015'
 */
export function predeployImplementation(predeploy: Hex): Hex {
  return `0x${'c0d3'.repeat(9)}${predeploy.slice(-4).toLowerCase()}`
}
