import type { Block, BlockHeader } from '@ethereumjs/block'
import type { LocatedLog, LogFilter, TxReceipt } from '../../runtime/index.ts'

/** Where a mined tx lives. */
export type RpcTxLocation = { blockHash: Uint8Array; blockNumber: bigint; index: number }

/** Log query; topics position-wise, null = any, array = OR. */
export type RpcLogFilter = LogFilter

/** How far one log query may go (eth_getLogs / eth_getFilterLogs). */
export type RpcLogQueryLimits = {
  /** most logs the answer may carry: the query stops as soon as it has found one more */
  maxResults: number
  /** Date.now() value past which the scan is abandoned with -32002 "request timed out" */
  deadline: number
}

/** A log with its position and its block's timestamp, as eth_getLogs returns it. */
export type RpcLocatedLog = LocatedLog

/**
 * Port: the chain's blocks and what hangs off them (receipts, tx index, logs) and its head,
 * safe and finalized markers (reth's EthBlocks / LoadReceipt / EthFilter roles).
 * runtime/'s ChainReader is a different, narrower port (headers for the EVM).
 */
export interface BlockReader {
  /** the latest block */
  head(): Block
  /** latest block number considered safe (for an L2 sequencer: derived from L1) */
  safeBlockNumber(): bigint
  /** latest block number considered finalized */
  finalizedBlockNumber(): bigint
  getBlockByNumber(number: bigint): Promise<Block | undefined>
  getBlockByHash(hash: Uint8Array): Promise<Block | undefined>
  /** a stored block's header (cheaper than the block: receipts need only its timestamp) */
  getHeaderByHash(hash: Uint8Array): Promise<BlockHeader | undefined>
  getReceipts(blockHash: Uint8Array): Promise<TxReceipt[] | undefined>
  getTxLocation(txHash: Uint8Array): Promise<RpcTxLocation | undefined>
  /**
   * Matching logs in block order. Stops early: the answer holds at most `maxResults + 1` logs, and
   * more than `maxResults` means the query was cut short (the RPC layer answers -32005).
   */
  getLogs(filter: RpcLogFilter, limits: RpcLogQueryLimits): Promise<RpcLocatedLog[]>
}
