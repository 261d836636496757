import type { Common } from '@ethereumjs/common'
import type { BaseFeeParams } from '../../genesis/index.ts'

/** Port: the chain's fixed parameters. */
export interface ChainInfo {
  readonly chainId: bigint
  /** the EIP-1559 rules of the next block (governed on chains with runtime modules); eth_feeHistory and eth_gasPrice project the next base fee with them */
  readonly baseFeeParams: BaseFeeParams
  /** the chain's Common (dev eth_sendTransaction builds txs with it; eth_config reads its rules) */
  readonly common: Common
}
