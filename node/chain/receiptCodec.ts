import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToInt, intToUnpaddedBytes } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { Common } from '@ethereumjs/common'
import { encodeRlp } from '../../runtime/index.ts'
import type { TxLog, TxReceipt } from '../../runtime/index.ts'

const EMPTY = new Uint8Array(0)

/**
 * A block's receipts as stored: RLP list of [txHash, type, from, to, status, cumulativeGasUsed,
 * gasUsed, effectiveGasPrice, contractAddress, logs]. Blooms are not stored (recomputed on read)
 * and log / tx indexes follow from positions.
 */
export function encodeReceipts(receipts: TxReceipt[]): Uint8Array {
  return encodeRlp(
    receipts.map((r) => [
      r.txHash,
      intToUnpaddedBytes(r.txType),
      r.from,
      r.to ?? EMPTY,
      intToUnpaddedBytes(r.status),
      bigIntToUnpaddedBytes(r.cumulativeGasUsed),
      bigIntToUnpaddedBytes(r.gasUsed),
      bigIntToUnpaddedBytes(r.effectiveGasPrice),
      r.contractAddress ?? EMPTY,
      r.logs.map((l) => [l.address, l.topics, l.data]),
    ]),
  )
}

const bytesAt = (list: unknown[], i: number): Uint8Array => {
  const v = list[i]
  if (!(v instanceof Uint8Array)) throw new TypeError(`receipt field ${i} is not a byte string`)
  return v
}

/** Inverse of {@link encodeReceipts}; throws TypeError on a damaged encoding. */
export function decodeReceipts(encoded: Uint8Array, common: Common): TxReceipt[] {
  const list = RLP.decode(encoded)
  if (!Array.isArray(list)) throw new TypeError('receipts must be an RLP list')
  let logIndex = 0
  return list.map((item, txIndex) => {
    if (!Array.isArray(item) || item.length !== 10) throw new TypeError('receipt must be a list of 10 fields')
    const rawLogs = item[9]
    if (!Array.isArray(rawLogs)) throw new TypeError('receipt logs must be a list')
    const bloom = new Bloom(undefined, common)
    const logs: TxLog[] = rawLogs.map((raw) => {
      if (!Array.isArray(raw) || raw.length !== 3 || !Array.isArray(raw[1])) throw new TypeError('log must be [address, topics, data]')
      const address = bytesAt(raw, 0)
      const topics = (raw[1] as unknown[]).map((_, i) => bytesAt(raw[1] as unknown[], i))
      bloom.add(address)
      for (const t of topics) bloom.add(t)
      return { address, topics, data: bytesAt(raw, 2), logIndex: logIndex++ }
    })
    const to = bytesAt(item, 3)
    const contractAddress = bytesAt(item, 8)
    return {
      txHash: bytesAt(item, 0),
      txIndex,
      txType: bytesToInt(bytesAt(item, 1)),
      from: bytesAt(item, 2),
      to: to.length === 0 ? undefined : to,
      status: bytesToInt(bytesAt(item, 4)) === 0 ? 0 : 1,
      cumulativeGasUsed: bytesToBigInt(bytesAt(item, 5)),
      gasUsed: bytesToBigInt(bytesAt(item, 6)),
      effectiveGasPrice: bytesToBigInt(bytesAt(item, 7)),
      contractAddress: contractAddress.length === 0 ? undefined : contractAddress,
      logsBloom: bloom.bitvector,
      logs,
    }
  })
}
