import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'

/** One log as stored and served: consensus fields plus its position. */
export type TxLog = {
  address: Uint8Array
  topics: Uint8Array[]
  data: Uint8Array
  /** index of the log within the block */
  logIndex: number
}

/**
 * A receipt as the node persists it: the consensus receipt (status, cumulativeGasUsed, bloom,
 * logs; encoded with encodeReceipt for the receipt trie) plus the derived fields wallets need.
 */
export type TxReceipt = {
  txHash: Uint8Array
  txIndex: number
  txType: number
  from: Uint8Array
  /** undefined for contract creation */
  to: Uint8Array | undefined
  status: 0 | 1
  cumulativeGasUsed: bigint
  gasUsed: bigint
  effectiveGasPrice: bigint
  contractAddress: Uint8Array | undefined
  logsBloom: Uint8Array
  logs: TxLog[]
  /** deposit txs (0x7E) only: the sender's nonce before execution (Canyon receipts) */
  depositNonce?: bigint
  /** deposit txs (0x7E) only: 1 (op-geth's CanyonDepositReceiptVersion) */
  depositReceiptVersion?: bigint
}

/** A block with its receipts, as built by the sequencer or re-executed by a validator. */
export type ExecutedBlock = {
  block: Block
  receipts: TxReceipt[]
}

/** Result of building a block from candidate txs. */
export type BuildResult = ExecutedBlock & {
  /** txs that could not be included (invalid at execution time), with the reason */
  rejected: { tx: TypedTransaction; error: Error }[]
}

/** Log query over the persisted log index. Topics: position-wise, null = any, array = OR. */
export type LogFilter = {
  fromBlock: bigint
  toBlock: bigint
  addresses?: Uint8Array[]
  topics?: (Uint8Array | Uint8Array[] | null)[]
}

/** A log with its block/tx position and its block's timestamp, as eth_getLogs returns it. */
export type LocatedLog = {
  address: Uint8Array
  topics: Uint8Array[]
  data: Uint8Array
  blockNumber: bigint
  blockHash: Uint8Array
  blockTimestamp: bigint
  txHash: Uint8Array
  txIndex: number
  logIndex: number
}
