import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { BaseFeeParams } from '../genesis/index.ts'
import type {
  CallFrame,
  CallOptions,
  CallRequest,
  CallResult,
  ExecutedBlock,
  LocatedLog,
  LogFilter,
  SimulatedBlock,
  SimulateOptions,
  StateAt,
  TxReceipt,
} from '../runtime/index.ts'

export type { BlockOverrides, CallAuthorization, CallFrame, CallLog, CallOptions, CallRequest, CallResult, StateAt, StateOverride } from '../runtime/index.ts'

/**
 * What the RPC layer needs from a node (STYLE §1: rpc/ declares, node/rpc implements).
 * Block params are already resolved from EIP-1898 form by the RPC layer ({@link StateAt}); addresses passed
 * to state reads are lowercase 0x-prefixed 40-hex strings (already validated), which lets the
 * implementation key its head-state cache on them without re-encoding.
 */

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

/** A log with its position, as eth_getLogs returns it. */
export type RpcLocatedLog = LocatedLog

/** Account fields at some block. */
export type RpcAccount = { nonce: bigint; balance: bigint; codeHash: Uint8Array; storageRoot: Uint8Array }

/** EIP-1186 proof, all values already 0x-hex as the RPC returns them. */
export type RpcAccountProof = {
  address: string
  accountProof: string[]
  balance: string
  codeHash: string
  nonce: string
  storageHash: string
  storageProof: { key: string; value: string; proof: string[] }[]
}

/** A pooled tx as the RPC shows it. */
export type RpcPooledTx = { tx: TypedTransaction; hash: Uint8Array; sender: Uint8Array }

/** Dev-mode signer over the node's dev accounts (only present with --dev). */
export interface DevSigner {
  /** dev account addresses, lowercase hex */
  accounts(): string[]
  /** EIP-191 personal message signature (65 bytes, v = 27/28) */
  signMessage(address: string, message: Uint8Array): Uint8Array
  /** EIP-712 signature of a 32-byte digest (65 bytes, v = 27/28) */
  signDigest(address: string, digest: Uint8Array): Uint8Array
  /** sign a fully populated transaction */
  signTransaction(address: string, tx: TypedTransaction): TypedTransaction
}

/** Events the backend emits for filters and subscriptions. */
export type RpcBackendEvents = {
  head: (executed: ExecutedBlock) => void
  pendingTx: (hash: Uint8Array) => void
}

/** The node as the RPC layer sees it. */
export interface RpcBackend {
  readonly chainId: bigint
  /** the chain spec's EIP-1559 rules (eth_feeHistory projects the next base fee with them) */
  readonly baseFeeParams: BaseFeeParams
  /** the chain's Common (dev eth_sendTransaction builds txs with it) */
  readonly common: Common
  /** connected p2p peers */
  peerCount(): number
  /** undefined when in sync */
  syncStatus(): { startingBlock: bigint; currentBlock: bigint; highestBlock: bigint } | undefined
  /** the latest block */
  head(): Block
  /** latest block number considered safe / finalized (for an L2 sequencer: derived from L1) */
  safeBlockNumber(): bigint
  finalizedBlockNumber(): bigint
  getBlockByNumber(number: bigint): Promise<Block | undefined>
  getBlockByHash(hash: Uint8Array): Promise<Block | undefined>
  getReceipts(blockHash: Uint8Array): Promise<TxReceipt[] | undefined>
  getTxLocation(txHash: Uint8Array): Promise<RpcTxLocation | undefined>
  /**
   * Matching logs in block order. Stops early: the answer holds at most `maxResults + 1` logs, and
   * more than `maxResults` means the query was cut short (the RPC layer answers -32005).
   */
  getLogs(filter: RpcLogFilter, limits: RpcLogQueryLimits): Promise<RpcLocatedLog[]>

  /** account at a block; undefined when it does not exist. Hot path (eth_getBalance). */
  getAccount(address: string, at: StateAt): Promise<RpcAccount | undefined> | RpcAccount | undefined
  getCode(address: string, at: StateAt): Promise<Uint8Array>
  /** 32-byte storage value (left-padded) */
  getStorageAt(address: string, slot: Uint8Array, at: StateAt): Promise<Uint8Array>
  getProof(address: string, slots: Uint8Array[], at: StateAt): Promise<RpcAccountProof>

  call(req: CallRequest, opts: CallOptions): Promise<CallResult>
  createAccessList(req: CallRequest, opts: CallOptions): Promise<{ accessList: { address: Uint8Array; storageKeys: Uint8Array[] }[]; result: CallResult }>
  traceCall(req: CallRequest, opts: CallOptions): Promise<CallFrame>
  /** eth_simulateV1: blocks built in order on `options.at`'s state; nothing reaches the chain */
  simulate(options: SimulateOptions): Promise<SimulatedBlock[]>
  traceTransaction(txHash: Uint8Array): Promise<CallFrame | undefined>

  /** validate and add to the pool; returns the tx hash */
  sendRawTransaction(raw: Uint8Array): Promise<Uint8Array>
  /** add an already signed tx (dev eth_sendTransaction) */
  sendTransaction(tx: TypedTransaction): Promise<Uint8Array>
  getPoolTx(hash: Uint8Array): RpcPooledTx | undefined
  poolContent(): { pending: Map<string, RpcPooledTx[]>; queued: Map<string, RpcPooledTx[]> }
  poolStatus(): { pending: number; queued: number }
  /** the nonce the next tx of `address` should use, counting pending pool txs */
  pendingNonce(address: string): Promise<bigint>

  /** dev signer, or undefined when not running --dev */
  readonly devSigner: DevSigner | undefined
  /** build one block now from the pool (evm_mine in --dev); undefined where this node does not produce blocks */
  readonly mineBlock: (() => Promise<void>) | undefined

  on<E extends keyof RpcBackendEvents>(event: E, listener: RpcBackendEvents[E]): void
  off<E extends keyof RpcBackendEvents>(event: E, listener: RpcBackendEvents[E]): void
}
