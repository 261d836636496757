import { isDepositTx } from '../../../runtime/index.ts'
import type { BlockReader } from '../../ports/index.ts'
import { effectiveGasPrice } from '../../format/formatTx.ts'

/** Blocks sampled by the tip oracle (geth: 20). */
const SAMPLE_BLOCKS = 20n
/** Percentile of the per-block lowest tips that is suggested (geth: 60). */
const PERCENTILE = 60
/** Floor of the suggestion, wei: op-geth's default minimum suggested priority fee (0.001 gwei). */
export const MIN_SUGGESTED_TIP = 1_000_000n

let cacheHead: bigint | undefined
let cacheTip = MIN_SUGGESTED_TIP
let cacheBlocks: BlockReader | undefined

/**
 * Suggested priority fee (geth's gas price oracle, simplified): over the last 20 blocks take each
 * block's lowest effective tip, suggest the 60th percentile, never below MIN_SUGGESTED_TIP.
 * Cached per head block.
 */
export async function suggestTip(blocks: BlockReader): Promise<bigint> {
  const head = blocks.head()
  const n = head.header.number
  if (cacheBlocks === blocks && cacheHead === n) return cacheTip
  const samples: bigint[] = []
  for (let i = 0n; i < SAMPLE_BLOCKS && i <= n; i++) {
    const block = i === 0n ? head : await blocks.getBlockByNumber(n - i)
    if (block === undefined || block.transactions.length === 0) continue
    const baseFee = block.header.baseFeePerGas ?? 0n
    let lowest: bigint | undefined
    for (const tx of block.transactions) {
      if (isDepositTx(tx)) continue // deposits pay no fees
      const tip = effectiveGasPrice(tx, baseFee) - baseFee
      if (lowest === undefined || tip < lowest) lowest = tip
    }
    if (lowest !== undefined) samples.push(lowest)
  }
  let tip = MIN_SUGGESTED_TIP
  if (samples.length > 0) {
    samples.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const pick = samples[Math.floor(((samples.length - 1) * PERCENTILE) / 100)]!
    if (pick > tip) tip = pick
  }
  cacheBlocks = blocks
  cacheHead = n
  cacheTip = tip
  return tip
}
