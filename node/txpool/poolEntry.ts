import type { FeeCaps } from './fees.ts'
import { effectiveTip } from './fees.ts'
import type { PooledTx } from './types.ts'

/** A tx in the pool with what validation derived from it. */
export type PoolEntry = PooledTx & {
  raw: Uint8Array
  hashHex: string
  nonce: bigint
  caps: FeeCaps
  /** value + gasLimit * feeCap: the most it can take from its sender */
  cost: bigint
  /** arrival order: deterministic tie-break */
  seq: number
  isPending: boolean
  /** included in the pending / queued counters */
  counted: boolean
  owner: SenderQueue
}

/** One sender's txs, sorted by nonce; the first `pending` are contiguous from `nonce`. */
export type SenderQueue = {
  /** lowercase 0x hex address */
  key: string
  address: Uint8Array
  /** account nonce at the latest head the pool has seen */
  nonce: bigint
  txs: PoolEntry[]
  pending: number
}

/** The public view of an entry. */
export function toPooled(entry: PoolEntry): PooledTx {
  return { tx: entry.tx, hash: entry.hash, sender: entry.sender, size: entry.size }
}

/** Eviction order: lowest effective tip first, then lowest fee cap, then the newest. */
export function cheaper(a: PoolEntry, b: PoolEntry, baseFee: bigint): boolean {
  const ta = effectiveTip(a.caps, baseFee)
  const tb = effectiveTip(b.caps, baseFee)
  if (ta !== tb) return ta < tb
  if (a.caps.feeCap !== b.caps.feeCap) return a.caps.feeCap < b.caps.feeCap
  return a.seq > b.seq
}

/** Index of the tx with `nonce`, or -1. Sender lists are short (<= maxPerSender). */
export function indexOfNonce(txs: readonly PoolEntry[], nonce: bigint): number {
  for (let i = 0; i < txs.length; i++) if (txs[i]!.nonce === nonce) return i
  return -1
}

/** Position that keeps `txs` sorted by nonce. */
export function insertionIndex(txs: readonly PoolEntry[], nonce: bigint): number {
  let lo = 0
  let hi = txs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (txs[mid]!.nonce < nonce) lo = mid + 1
    else hi = mid
  }
  return lo
}
