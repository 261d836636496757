import type { Common } from '@ethereumjs/common'
import type { BaseFeeParams } from '../../genesis/index.ts'

/** Port: the chain's fixed parameters. */
export interface ChainInfo {
  readonly chainId: bigint
  /** the EIP-1559 rules of the next block (governed on chains with runtime modules); eth_feeHistory and eth_gasPrice project the next base fee with them */
  readonly baseFeeParams: BaseFeeParams
  /** the chain's Common (dev eth_sendTransaction builds txs with it; eth_config reads its rules) */
  readonly common: Common
  /** the runtime modules the chain runs (openledger_getModules), in address order; empty without them */
  readonly modules: readonly RpcModuleInfo[]
  /** the fixed OPEN supply of the chain's tokenomics table (wei); undefined without one */
  readonly totalSupply: bigint | undefined
}

/** One runtime module as openledger_getModules lists it. */
export type RpcModuleInfo = {
  name: string
  /** lowercase 0x address */
  address: string
  /** the Solidity interface it implements (runtime/modules/<name>/<interfaceName>.sol) */
  interfaceName: string
  /** ERC-165 id of that interface */
  interfaceId: string
  version: string
}
