import { TX_ERROR, isCodedError } from '../../runtime/index.ts'
import { TXPOOL_ERROR } from './txPoolErrors.ts'
import type { TxPool } from './types.ts'

/** A gossip validation result (libp2p gossipsub's Accept / Ignore / Reject). */
export type TxGossipVerdict = 'accept' | 'ignore' | 'reject'

/**
 * Codes that prove the sender of the message broke the rules (a tx no honest node relays, whatever
 * its state): the message is rejected and the peer's score falls. Everything else that refuses a
 * tx depends on this node's pool and head (nonce, price, funds, capacity) and is ignored.
 */
const INVALID_TX_CODES: ReadonlySet<string> = new Set([
  TX_ERROR.MALFORMED,
  TX_ERROR.UNSUPPORTED_TYPE,
  TX_ERROR.BLOB_UNSUPPORTED,
  TX_ERROR.WRONG_CHAIN_ID,
  TX_ERROR.NOT_EIP155,
  TX_ERROR.UNSIGNED,
  TX_ERROR.INVALID_SIGNATURE,
  TXPOOL_ERROR.OVERSIZED,
  TXPOOL_ERROR.GAS_LIMIT_EXCEEDED,
  TXPOOL_ERROR.INTRINSIC_GAS_TOO_LOW,
])

/**
 * Admit a tx received by gossip into the pool, through the same checks as eth_sendRawTransaction:
 * 'accept' when admitted (gossipsub relays it on), 'reject' for a tx that is invalid in itself
 * ({@link INVALID_TX_CODES}), 'ignore' when it is refused for state reasons (known, underpriced,
 * nonce, funds, pool full) or the pool is closing.
 */
export async function txGossipVerdict(pool: Pick<TxPool, 'addRaw'>, raw: Uint8Array): Promise<TxGossipVerdict> {
  try {
    await pool.addRaw(raw)
    return 'accept'
  } catch (err) {
    return isCodedError(err) && INVALID_TX_CODES.has(err.code) ? 'reject' : 'ignore'
  }
}
