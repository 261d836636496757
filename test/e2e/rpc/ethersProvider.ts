import { JsonRpcProvider, Network } from 'ethers'

/** The devnet's network (chain id 1337). */
export const DEVNET = Network.from(1337)

/**
 * An ethers JsonRpcProvider for a --dev node at `url` (the caller destroys it): the static devnet
 * network, 50 ms polling, and no read cache (cacheTimeout -1: ethers otherwise reuses identical
 * reads, nonces among them, for 250 ms, too long for an automining dev chain).
 */
export function createEthersProvider(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, DEVNET, { staticNetwork: DEVNET, pollingInterval: 50, cacheTimeout: -1 })
}
