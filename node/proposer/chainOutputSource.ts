import type { Chain } from '../chain/index.ts'
import { outputAtBlock } from '../chain/index.ts'
import type { OutputSource } from './proposer.ts'

/**
 * The proposer's L2 side on the node's own chain: the head, and the output root v0 of a
 * canonical block (node/chain outputAtBlock, the same answer optimism_outputAtBlock gives).
 *
 * @example
 * createProposer({ ...defaultProposerOptions, l1RpcUrl, account, l2OutputOracle, outputs: chainOutputSource(chain) })
 */
export function chainOutputSource(chain: Chain): OutputSource {
  return {
    headNumber: () => chain.head().header.number,
    outputRootAt: async (number) => (await outputAtBlock(chain, number))?.outputRoot,
  }
}
