import { OpenLedgerError, decodeRlp, encodeRlp } from '../../runtime/index.ts'
import { SEAL_LENGTH } from './blockSeal.ts'
import { SYNC_ERROR } from './syncErrors.ts'

/** A block's RLP (block.serialize(), as the chain stores it) with the sequencer's seal. */
export type SealedBlock = { block: Uint8Array; seal: Uint8Array }

/**
 * Largest sealed block the codec accepts: node/p2p's default gossip limit for block messages
 * (maxBlockMessageBytes, 4 MiB). A 60M-gas block of calldata at the EIP-7623 floor (10 gas per
 * byte) is ~6 MB in theory, but no block this chain builds comes near (a 500-tx block of
 * transfers is ~60 KB); the bound keeps one message from costing a decode of arbitrary size.
 */
export const MAX_SEALED_BLOCK_BYTES = 4 * 1024 * 1024

/**
 * The gossip / blocks_by_range form of a block: RLP([blockRlp, seal]).
 *
 * @example
 * await p2p.publishBlock(encodeSealedBlock({ block: block.serialize(), seal }))
 */
export function encodeSealedBlock(b: SealedBlock): Uint8Array {
  return encodeRlp([b.block, b.seal])
}

/**
 * Decode {@link encodeSealedBlock}'s form, strictly: canonical RLP, exactly a 2-item list of byte
 * strings, a non-empty block, a 65-byte seal, at most `maxBytes` in all. Throws
 * SYNC_ERROR_OVERSIZED or SYNC_ERROR_MALFORMED_BLOCK. The block's RLP is not decoded here (see
 * blockImporter), and both results are views into `data`.
 */
export function decodeSealedBlock(data: Uint8Array, maxBytes = MAX_SEALED_BLOCK_BYTES): SealedBlock {
  if (data.length > maxBytes) throw new OpenLedgerError(SYNC_ERROR.OVERSIZED, 'sealed block is too large', { bytes: data.length, maxBytes })
  let items: unknown
  try {
    items = decodeRlp(data)
  } catch (cause) {
    throw new OpenLedgerError(SYNC_ERROR.MALFORMED_BLOCK, 'sealed block is not valid RLP', { bytes: data.length }, { cause })
  }
  if (!Array.isArray(items) || items.length !== 2 || !(items[0] instanceof Uint8Array) || !(items[1] instanceof Uint8Array)) {
    throw new OpenLedgerError(SYNC_ERROR.MALFORMED_BLOCK, 'sealed block must be a list of two byte strings [block, seal]', {})
  }
  const [block, seal] = items as [Uint8Array, Uint8Array]
  if (block.length === 0) throw new OpenLedgerError(SYNC_ERROR.MALFORMED_BLOCK, 'sealed block has an empty block', {})
  if (seal.length !== SEAL_LENGTH) throw new OpenLedgerError(SYNC_ERROR.MALFORMED_BLOCK, 'sealed block seal must be 65 bytes', { length: seal.length })
  return { block, seal }
}
