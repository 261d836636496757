import type { Logger } from 'pino'
import type { TypedTransaction } from '@ethereumjs/tx'
import { OpenLedgerError } from '../../runtime/index.ts'
import type { Chain } from '../chain/index.ts'
import { TXPOOL_ERROR } from './txPoolErrors.ts'

/** Options of createTxPool. */
export type TxPoolOptions = {
  /** the chain whose head the pool validates against (state, base fee, gas limit, `head` events) */
  chain: Chain
  /** parent logger; the pool logs as the child "node:txpool" */
  logger?: Logger
  /** journal file (e.g. `<datadir>/txpool.journal`); undefined = no persistence across restarts */
  journalPath?: string
  /** minimum maxPriorityFeePerGas (gasPrice for legacy txs), wei; geth's --txpool.pricelimit */
  minTip: bigint
  /** replacement needs both fee caps raised by at least this many percent (geth: 10) */
  priceBumpPercent: bigint
  /** txs one sender may hold (pending + queued); geth's account slots are 16, we allow bursts */
  maxPerSender: number
  /** global pending (executable) limit; the cheapest are evicted beyond it */
  maxPending: number
  /** global queued (future nonce) limit; the cheapest are evicted beyond it */
  maxQueued: number
  /** largest serialized tx accepted, bytes (geth txMaxSize: 4 slots of 32 KiB = 128 KiB) */
  maxTxBytes: number
  /** a tx nonce may be at most this far above the account nonce */
  maxNonceGap: bigint
  /** rewrite the journal compacted once this many records were appended since the last rewrite */
  journalRotateAfter: number
  /**
   * Every head revalidates the senders the block touched; every this many heads all senders are
   * revalidated (balances can also fall without a tx of theirs, e.g. EIP-7702 delegated code).
   */
  fullRevalidationEvery: number
  /** raw bytes -> signed tx; throws OpenLedgerError(TX_ERROR_*) for malformed / wrong-chain / blob txs */
  decode?: (raw: Uint8Array) => TypedTransaction
}

/** Defaults of {@link TxPoolOptions} (all but `chain`). */
export const defaultTxPoolOptions = {
  minTip: 1n,
  priceBumpPercent: 10n,
  maxPerSender: 64,
  maxPending: 4096,
  maxQueued: 1024,
  maxTxBytes: 128 * 1024,
  maxNonceGap: 64n,
  journalRotateAfter: 4096,
  // 16 heads = 16 s at the devnet's 1 s block time; a full pass reads one account per sender
  fullRevalidationEvery: 16,
} as const satisfies Partial<TxPoolOptions>

/** Throw TXPOOL_ERROR_INVALID_OPTION naming the first out-of-range option. */
export function validateTxPoolOptions(opts: TxPoolOptions): void {
  const positive: (keyof TxPoolOptions)[] = ['maxPerSender', 'maxPending', 'maxQueued', 'maxTxBytes', 'journalRotateAfter', 'fullRevalidationEvery']
  for (const name of positive) {
    const value = opts[name]
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new OpenLedgerError(TXPOOL_ERROR.INVALID_OPTION, `txpool option ${name} must be a positive integer`, { option: name })
    }
  }
  const nonNegative: ('minTip' | 'priceBumpPercent' | 'maxNonceGap')[] = ['minTip', 'priceBumpPercent', 'maxNonceGap']
  for (const name of nonNegative) {
    if (opts[name] < 0n) throw new OpenLedgerError(TXPOOL_ERROR.INVALID_OPTION, `txpool option ${name} must be >= 0`, { option: name })
  }
}
