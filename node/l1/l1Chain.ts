import { defineChain } from 'viem'
import { MULTICALL3_ADDRESS } from '../../runtime/index.ts'

/**
 * The viem chain of an L1 at `url` (anvil or a real one): ETH as native currency and Multicall3 at
 * its usual address (viem's withdrawal status reads need it; --dev.l1 sets its code on anvil).
 *
 * @example
 * const wallet = createWalletClient({ chain: l1Chain(anvil.url, 900n), transport: http(anvil.url) })
 */
export function l1Chain(url: string, chainId: bigint) {
  return defineChain({
    id: Number(chainId),
    name: `L1 ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [url] } },
    contracts: { multicall3: { address: MULTICALL3_ADDRESS } },
  })
}
