import type { RpcMethod } from '../../types.ts'
import type { RpcPooledTx } from '../../backend.ts'
import { toHex } from '../../hex.ts'
import { groupBySender } from './groupBySender.ts'

function summary(p: RpcPooledTx): string {
  const tx = p.tx as RpcPooledTx['tx'] & { gasPrice?: bigint; maxFeePerGas?: bigint }
  const to = tx.to === undefined ? 'contract creation' : toHex(tx.to.bytes)
  const price = tx.maxFeePerGas ?? tx.gasPrice ?? 0n
  return `${to}: ${tx.value} wei + ${tx.gasLimit} gas × ${price} wei`
}

/** txpool_inspect: one-line summaries, grouped as pending/queued -> sender -> nonce (geth format). */
export const inspect: RpcMethod = {
  name: 'txpool_inspect',
  minParams: 0,
  maxParams: 0,
  handler(ctx) {
    const c = ctx.backend.poolContent()
    return { pending: groupBySender(c.pending, summary), queued: groupBySender(c.queued, summary) }
  },
}
