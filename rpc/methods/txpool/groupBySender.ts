import type { RpcPooledTx } from '../../backend.ts'

/**
 * geth's txpool_content / txpool_inspect layout: sender (checksummed by geth; lowercase here, which
 * clients compare case-insensitively) -> nonce (decimal string) -> entry.
 */
export function groupBySender<T>(
  groups: Map<string, RpcPooledTx[]>,
  entry: (tx: RpcPooledTx) => T,
): Record<string, Record<string, T>> {
  const out: Record<string, Record<string, T>> = {}
  const senders = [...groups.keys()].sort()
  for (const sender of senders) {
    const byNonce: Record<string, T> = {}
    for (const p of groups.get(sender)!) byNonce[p.tx.nonce.toString(10)] = entry(p)
    out[sender] = byNonce
  }
  return out
}
