import { Block, createBlockFromBytesArray } from '@ethereumjs/block'
import type { BlockOptions } from '@ethereumjs/block'
import { RLP } from '@ethereumjs/rlp'
import type { TypedTransaction } from '@ethereumjs/tx'
import { DEPOSIT_TX_TYPE, DepositTx, isDepositTx } from '../l2/depositTx.ts'
import { freezeWithCachedSender } from '../tx/txCache.ts'

/**
 * A block from its RLP (the stored and gossiped form), deposit txs (0x7E) included: ethereumjs'
 * createBlockFromRLP knows only Ethereum's tx types. Signed txs and the header decode as there;
 * each 0x7E body entry becomes a {@link DepositTx} at its position. Throws on a malformed block
 * (ethereumjs' errors, or L2_ERROR_MALFORMED_DEPOSIT). Frozen as ethereumjs' own (unless
 * `opts.freeze` is false), each signed tx with a getSenderAddress() answered from runtime's
 * sender cache (freezeWithCachedSender) when the Common has a fast keccak.
 *
 * @example
 * const block = decodeBlock(raw, { common, params: chainParams(spec) })
 */
export function decodeBlock(raw: Uint8Array, opts: BlockOptions): Block {
  if (opts.freeze === false) return decodeBlockObjects(raw, opts)
  // built unfrozen, so each signed tx can get its cached-sender getSenderAddress, then frozen as ethereumjs would
  const block = decodeBlockObjects(raw, { ...opts, freeze: false })
  const keccak256 = block.common.customCrypto.keccak256
  for (const tx of block.transactions) {
    if (isDepositTx(tx)) continue
    if (keccak256 === undefined) Object.freeze(tx)
    else freezeWithCachedSender(tx, keccak256)
  }
  for (const uncle of block.uncleHeaders) Object.freeze(uncle)
  Object.freeze(block.header)
  Object.freeze(block)
  return block
}

/** {@link decodeBlock}'s objects, frozen or not as `opts.freeze` says. */
function decodeBlockObjects(raw: Uint8Array, opts: BlockOptions): Block {
  const values = RLP.decode(raw)
  if (!Array.isArray(values)) throw new TypeError('invalid block RLP: not a list')
  const body = values[1]
  const deposits = new Map<number, DepositTx>()
  if (Array.isArray(body)) {
    body.forEach((item, index) => {
      if (item instanceof Uint8Array && item[0] === DEPOSIT_TX_TYPE) deposits.set(index, DepositTx.fromSerialized(item))
    })
  }
  if (deposits.size === 0) return createBlockFromBytesArray(values as Parameters<typeof createBlockFromBytesArray>[0], opts)
  // decode the rest without the deposits, then put each deposit back at its index
  const signedOnly = (body as Uint8Array[]).filter((_, index) => !deposits.has(index))
  const decoded = createBlockFromBytesArray([values[0], signedOnly, ...values.slice(2)] as Parameters<typeof createBlockFromBytesArray>[0], opts)
  const txs: TypedTransaction[] = []
  let next = 0
  for (let index = 0; index < (body as unknown[]).length; index++) {
    const deposit = deposits.get(index)
    // a DepositTx answers what Block and the tx trie read of a tx (type, hash, serialize, supports)
    txs.push(deposit === undefined ? decoded.transactions[next++]! : (deposit as unknown as TypedTransaction))
  }
  return new Block(decoded.header, txs, decoded.uncleHeaders, decoded.withdrawals, opts)
}
