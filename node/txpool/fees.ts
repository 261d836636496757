import type { TypedTransaction } from '@ethereumjs/tx'

/** The two fee caps of a tx: legacy and 2930 txs use gasPrice for both. */
export type FeeCaps = {
  /** maxFeePerGas (gasPrice for legacy / 2930) */
  feeCap: bigint
  /** maxPriorityFeePerGas (gasPrice for legacy / 2930) */
  tipCap: bigint
}

/** Read the fee caps of any supported tx type. */
export function feeCapsOf(tx: TypedTransaction): FeeCaps {
  if ('maxFeePerGas' in tx) return { feeCap: tx.maxFeePerGas, tipCap: tx.maxPriorityFeePerGas }
  return { feeCap: tx.gasPrice, tipCap: tx.gasPrice }
}

/**
 * The tip the block producer receives per gas at `baseFee`: min(tipCap, feeCap - baseFee).
 * Negative when the tx cannot pay the base fee (callers treat it as not executable).
 */
export function effectiveTip(caps: FeeCaps, baseFee: bigint): bigint {
  const headroom = caps.feeCap - baseFee
  return caps.tipCap < headroom ? caps.tipCap : headroom
}

/**
 * True when `next` may replace `prev` (same sender and nonce): both caps must rise by at least
 * `bumpPercent` percent (geth's --txpool.pricebump, 10 by default). Integer arithmetic only.
 */
export function isReplacementBump(prev: FeeCaps, next: FeeCaps, bumpPercent: bigint): boolean {
  const need = 100n + bumpPercent
  return next.feeCap * 100n >= prev.feeCap * need && next.tipCap * 100n >= prev.tipCap * need
}

/** Maximum wei a tx can take from its sender: value + gasLimit * feeCap. */
export function maxCost(tx: TypedTransaction, caps: FeeCaps): bigint {
  return tx.value + tx.gasLimit * caps.feeCap
}
