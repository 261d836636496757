import type { RpcMethod } from '../../types.ts'
import { formatTx } from '../../format/formatTx.ts'
import { groupBySender } from './groupBySender.ts'

/** txpool_content: every pooled tx, grouped as pending/queued -> sender -> nonce -> tx object. */
export const content: RpcMethod<'pool'> = {
  name: 'txpool_content',
  minParams: 0,
  maxParams: 0,
  handler(ctx) {
    const c = ctx.pool.poolContent()
    const entry = (p: { tx: Parameters<typeof formatTx>[0]; sender: Uint8Array }) => formatTx(p.tx, undefined, p.sender)
    return { pending: groupBySender(c.pending, entry), queued: groupBySender(c.queued, entry) }
  },
}
