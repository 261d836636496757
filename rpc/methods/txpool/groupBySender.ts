import { toChecksumAddress } from '../../../genesis/index.ts'
import type { RpcPooledTx } from '../../ports/index.ts'

/**
 * geth's txpool_content / txpool_inspect layout: sender (EIP-55 checksummed, as geth prints it)
 * -> nonce (decimal string) -> entry.
 */
export function groupBySender<T>(groups: Map<string, RpcPooledTx[]>, entry: (tx: RpcPooledTx) => T): Record<string, Record<string, T>> {
  const out: Record<string, Record<string, T>> = {}
  const senders = [...groups.keys()].sort()
  for (const sender of senders) {
    const byNonce: Record<string, T> = {}
    for (const p of groups.get(sender)!) byNonce[p.tx.nonce.toString(10)] = entry(p)
    out[toChecksumAddress(sender as `0x${string}`)] = byNonce
  }
  return out
}
