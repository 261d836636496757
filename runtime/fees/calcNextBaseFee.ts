import type { BlockHeader } from '@ethereumjs/block'
import type { BaseFeeParams } from '../../genesis/index.ts'

/**
 * EIP-1559 base fee of the block after `parent`, with the chain spec's elasticity multiplier and
 * max-change denominator (integer arithmetic exactly as EIP-1559 specifies). Consensus uses this,
 * not BlockHeader.calcNextBaseFee(), whose parameters ethereumjs may reset to Ethereum's
 * (params overwrite trap, specs/ethereumjs.md §2.3).
 *
 * @example
 * const baseFee = calcNextBaseFee(chain.head().header, chain.spec.baseFee)
 */
export function calcNextBaseFee(parent: Pick<BlockHeader, 'gasLimit' | 'gasUsed' | 'baseFeePerGas'>, params: BaseFeeParams): bigint {
  const parentBaseFee = parent.baseFeePerGas ?? params.initial
  const target = parent.gasLimit / params.elasticityMultiplier
  if (target === 0n || parent.gasUsed === target) return parentBaseFee
  if (parent.gasUsed > target) {
    const delta = (parentBaseFee * (parent.gasUsed - target)) / target / params.maxChangeDenominator
    return parentBaseFee + (delta > 1n ? delta : 1n)
  }
  const delta = (parentBaseFee * (target - parent.gasUsed)) / target / params.maxChangeDenominator
  return parentBaseFee - delta > 0n ? parentBaseFee - delta : 0n
}
