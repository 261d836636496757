import type { RpcMethod } from '../../types.ts'
import type { RpcPooledTx } from '../../ports/index.ts'
import { toChecksumAddress } from '../../../genesis/index.ts'
import { toHex } from '../../hex.ts'
import { groupBySender } from './groupBySender.ts'

/** geth's line: "<to, EIP-55>: <value> wei + <gas> gas × <gas price, or fee cap> wei". */
function summary(p: RpcPooledTx): string {
  const tx = p.tx as RpcPooledTx['tx'] & { gasPrice?: bigint; maxFeePerGas?: bigint }
  const to = tx.to === undefined ? 'contract creation' : toChecksumAddress(toHex(tx.to.bytes))
  const price = tx.maxFeePerGas ?? tx.gasPrice ?? 0n
  return `${to}: ${tx.value} wei + ${tx.gasLimit} gas × ${price} wei`
}

/**
 * txpool_inspect: one-line summaries, grouped as pending/queued -> sender (EIP-55) -> nonce
 * (decimal), as geth prints them. Example: { "pending": { "0xf39F...": { "0": "0x7099...: 1 wei + 21000 gas × 2000000000 wei" } }, "queued": {} }.
 */
export const inspect: RpcMethod<'pool'> = {
  name: 'txpool_inspect',
  minParams: 0,
  maxParams: 0,
  handler(ctx) {
    const c = ctx.pool.poolContent()
    return { pending: groupBySender(c.pending, summary), queued: groupBySender(c.queued, summary) }
  },
}
