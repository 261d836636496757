import type { RpcL1BlockRef, RpcL2BlockRef, RpcRollupSyncStatus } from '../ports/index.ts'
import { toHex } from '../hex.ts'

// op-node's JSON (op-service/eth id.go, sync_status.go): hashes as 0x-hex, numbers and timestamps
// as JSON numbers (Go uint64), not quantities; an unknown L1 ref is all zeros.
const ZERO_HASH = `0x${'00'.repeat(32)}`

/** A port value as op-node's JSON: bytes as 0x-hex, integers as JSON numbers, objects field by field. */
type OpNodeJson<T> = { [K in keyof T]: T[K] extends Uint8Array ? string : T[K] extends bigint ? number : OpNodeJson<T[K]> }
/** op-node's L1BlockRef JSON. */
export type L1BlockRefJson = OpNodeJson<RpcL1BlockRef>
/** op-node's L2BlockRef JSON. */
export type L2BlockRefJson = OpNodeJson<RpcL2BlockRef>

/** An L1 ref as op-node writes it; the zero ref for undefined (what op-node answers before it knows one). */
export function formatL1BlockRef(ref: RpcL1BlockRef | undefined): L1BlockRefJson {
  if (ref === undefined) return { hash: ZERO_HASH, number: 0, parentHash: ZERO_HASH, timestamp: 0 }
  return { hash: toHex(ref.hash), number: Number(ref.number), parentHash: toHex(ref.parentHash), timestamp: Number(ref.timestamp) }
}

/** An L2 ref as op-node writes it. */
export function formatL2BlockRef(ref: RpcL2BlockRef): L2BlockRefJson {
  return {
    hash: toHex(ref.hash),
    number: Number(ref.number),
    parentHash: toHex(ref.parentHash),
    timestamp: Number(ref.timestamp),
    l1origin: { hash: toHex(ref.l1origin.hash), number: Number(ref.l1origin.number) },
    sequenceNumber: Number(ref.sequenceNumber),
  }
}

/**
 * op-node's SyncStatus JSON. Without batches the pending-safe, local-safe and cross-unsafe L2
 * heads are the safe and unsafe ones (pre-interop every unsafe block is cross-unsafe), and
 * current_l1_finalized is unknown (zero).
 */
export function formatSyncStatus(s: RpcRollupSyncStatus): Record<string, L1BlockRefJson | L2BlockRefJson> {
  const unsafeL2 = formatL2BlockRef(s.unsafeL2)
  const safeL2 = formatL2BlockRef(s.safeL2)
  return {
    current_l1: formatL1BlockRef(s.currentL1),
    current_l1_finalized: formatL1BlockRef(undefined),
    head_l1: formatL1BlockRef(s.headL1),
    safe_l1: formatL1BlockRef(s.safeL1),
    finalized_l1: formatL1BlockRef(s.finalizedL1),
    unsafe_l2: unsafeL2,
    safe_l2: safeL2,
    finalized_l2: formatL2BlockRef(s.finalizedL2),
    pending_safe_l2: safeL2,
    cross_unsafe_l2: unsafeL2,
    local_safe_l2: safeL2,
  }
}
