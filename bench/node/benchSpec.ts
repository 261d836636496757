/**
 * The chain spec the block-production benchmark runs on: the devnet spec (chain id 1337, its
 * base-fee rules and fee recipients) with a 1 Ggas block gas limit, so the whole 2,000-tx
 * workload fits one block as it does on anvil (--gas-limit 1000000000), and the workload's
 * senders and token added to `alloc`. The devnet's tokenomics table is left out: a spec with one
 * takes no alloc balances, and the workload funds its own senders.
 */
import { loadChainSpec, serializeChainSpec } from '../../genesis/index.ts'
import type { ChainSpec } from '../../genesis/index.ts'
import type { Workload } from './workload.ts'

/** Block gas limit used on both sides of the comparison. */
export const BENCH_GAS_LIMIT = 1_000_000_000n

/** Devnet + 1 Ggas + the workloads' accounts; validated by loadChainSpec like any spec file. */
export function benchChainSpec(...workloads: Workload[]): ChainSpec {
  const json = serializeChainSpec(loadChainSpec('devnet')) as unknown as Record<string, unknown> & {
    alloc: Record<string, Record<string, unknown>>
  }
  json.gasLimit = BENCH_GAS_LIMIT.toString()
  delete json.tokenomics
  const storage: Record<string, string> = {}
  let token: Workload['token']
  for (const workload of workloads) {
    for (const sender of workload.senders) json.alloc[sender.address] = { balance: workload.senderBalance.toString() }
    if (workload.token !== undefined) {
      token = workload.token
      Object.assign(storage, workload.token.storage)
    }
  }
  if (token !== undefined) json.alloc[token.address] = { balance: '0', nonce: '1', code: token.code, storage }
  return loadChainSpec(json)
}
