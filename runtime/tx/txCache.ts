import type { Block } from '@ethereumjs/block'
import { RLP } from '@ethereumjs/rlp'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Capability } from '@ethereumjs/tx'
import { Address } from '@ethereumjs/util'

// Per-tx-object caches. Signed txs are immutable (the pool and block decoding freeze them), so a
// value derived from one tx object never goes stale; WeakMaps let the tx and its entries be
// collected together.
const encodings = new WeakMap<object, Uint8Array>()
const senders = new WeakMap<TypedTransaction, Address>()

/**
 * The tx's block-body encoding (EIP-2718 envelope for typed txs, the RLP list for legacy ones),
 * computed once per tx object. ethereumjs re-encodes on every serialize(); a built block needs it
 * for the tx trie and again for the stored block body (about 2.5% of a 2,000-transfer build each,
 * profiled). Any block tx (a deposit too) that serializes to its envelope.
 */
export function txEncoding(tx: { serialize(): Uint8Array }): Uint8Array {
  let encoded = encodings.get(tx)
  if (encoded === undefined) {
    encoded = tx.serialize()
    encodings.set(tx, encoded)
  }
  return encoded
}

/**
 * Seed {@link txEncoding}'s cache with an encoding computed elsewhere (the import pipeline's
 * worker thread decodes the same block bytes with the same Common and serializes each tx there).
 * The caller guarantees `encoding` equals `tx.serialize()`; a tx already cached keeps its entry.
 */
export function primeTxEncoding(tx: { serialize(): Uint8Array }, encoding: Uint8Array): void {
  if (!encodings.has(tx)) encodings.set(tx, encoding)
}

/**
 * The tx's sender, hashed once per tx object with `keccak256` (the chain's fast keccak) from the
 * public key the tx already caches. ethereumjs' getSenderAddress() re-hashes the public key with
 * its pure-JS keccak on every call (about 2% of an ETH-transfer build per call site, profiled).
 * Same address as getSenderAddress(): the low 20 bytes of keccak256(64-byte public key).
 */
export function txSender(tx: TypedTransaction, keccak256: (data: Uint8Array) => Uint8Array): Address {
  let sender = senders.get(tx)
  if (sender === undefined) {
    sender = new Address(keccak256(tx.getSenderPublicKey()).slice(12))
    senders.set(tx, sender)
  }
  return sender
}

/**
 * Seed {@link txSender}'s cache with a sender derived elsewhere (the import worker: keccak256 of
 * the public key it recovered for this tx, which it also caches as `tx.cache.senderPubKey`). The
 * caller guarantees `sender` is that key's address; a tx already cached keeps its entry.
 */
export function primeTxSender(tx: TypedTransaction, sender: Address): void {
  if (!senders.has(tx)) senders.set(tx, sender)
}

/**
 * Give a tx that is not yet frozen a getSenderAddress() answered from {@link txSender}'s cache
 * (hashed once with the chain's fast keccak, or primed by the import worker), then freeze it.
 * ethereumjs' own re-hashes the public key with its pure-JS keccak on every call, and its VM asks
 * once per tx it runs (about 4% of a block import, profiled). Same address, same Address type.
 */
export function freezeWithCachedSender(tx: TypedTransaction, keccak256: (data: Uint8Array) => Uint8Array): void {
  Object.defineProperty(tx, 'getSenderAddress', { value: (): Address => txSender(tx, keccak256) })
  Object.freeze(tx)
}

/**
 * The block's RLP (identical to block.serialize()), reusing {@link txEncoding}'s cached tx
 * encodings: [header, txs, uncles] plus withdrawals when the block has them. A typed tx sits in
 * the body as its envelope bytes, a legacy tx as its field list (as Block.raw() does).
 */
export function encodeBlock(block: Block): Uint8Array {
  const txs = block.transactions.map((tx) => (tx.supports(Capability.EIP2718TypedTransaction) ? txEncoding(tx) : tx.raw()))
  const fields = [block.header.raw(), txs, block.uncleHeaders.map((uncle) => uncle.raw())]
  const withdrawals = block.withdrawals?.map((w) => w.raw())
  return RLP.encode(withdrawals === undefined ? fields : [...fields, withdrawals])
}
