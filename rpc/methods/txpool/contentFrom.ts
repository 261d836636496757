import type { RpcMethod } from '../../types.ts'
import type { RpcPooledTx } from '../../ports/index.ts'
import { formatTx } from '../../format/formatTx.ts'
import { parseAddressHex } from '../../params/parse.ts'

function byNonce(txs: RpcPooledTx[] | undefined): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const p of txs ?? []) out[p.tx.nonce.toString(10)] = formatTx(p.tx, undefined, p.sender)
  return out
}

/**
 * txpool_contentFrom: one sender's pooled txs as pending / queued -> nonce -> tx object
 * (execution-apis txpool/pool.yaml; geth's ContentFrom). Example: ["0xf39f..."] -> { pending: { "0": {...} }, queued: {} }.
 */
export const contentFrom: RpcMethod<'pool'> = {
  name: 'txpool_contentFrom',
  minParams: 1,
  maxParams: 1,
  handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    const c = ctx.pool.poolContent()
    return { pending: byNonce(c.pending.get(address)), queued: byNonce(c.queued.get(address)) }
  },
}
