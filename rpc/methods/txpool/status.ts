import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'

/** txpool_status: counts of pending and queued txs. Example: { "pending": "0x2", "queued": "0x0" }. */
export const status: RpcMethod<'pool'> = {
  name: 'txpool_status',
  minParams: 0,
  maxParams: 0,
  handler(ctx) {
    const s = ctx.pool.poolStatus()
    return { pending: toQuantity(s.pending), queued: toQuantity(s.queued) }
  },
}
