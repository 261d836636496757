import type { Common } from '@ethereumjs/common'
import type { BaseFeeParams } from '../../genesis/index.ts'

/** Port: the chain's fixed parameters. */
export interface ChainInfo {
  readonly chainId: bigint
  /** the chain spec's EIP-1559 rules (eth_feeHistory projects the next base fee with them) */
  readonly baseFeeParams: BaseFeeParams
  /** the chain's Common (dev eth_sendTransaction builds txs with it; eth_config reads its rules) */
  readonly common: Common
}
