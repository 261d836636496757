import type { StateAt } from './stateReader.ts'

/** A call request after parameter validation (eth_call / estimateGas / createAccessList / traceCall). */
export type CallRequest = {
  from?: Uint8Array
  to?: Uint8Array
  gas?: bigint
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  value?: bigint
  data?: Uint8Array
  nonce?: bigint
  /** must equal the node's chain id when given */
  chainId?: bigint
  accessList?: { address: Uint8Array; storageKeys: Uint8Array[] }[]
  type?: number
  authorizationList?: unknown[]
}

/** eth_call state override of one account (geth's OverrideAccount). */
export type StateOverride = {
  balance?: bigint
  nonce?: bigint
  code?: Uint8Array
  /** replaces the whole storage */
  state?: [slot: Uint8Array, value: Uint8Array][]
  /** patches individual slots */
  stateDiff?: [slot: Uint8Array, value: Uint8Array][]
}

/** eth_call block overrides (geth's BlockOverrides). */
export type BlockOverrides = {
  number?: bigint
  time?: bigint
  gasLimit?: bigint
  coinbase?: Uint8Array
  random?: Uint8Array
  baseFee?: bigint
}

/** Options of one simulated call. */
export type CallOptions = {
  /** the state (and header, before block overrides) the call runs on */
  at: StateAt
  stateOverrides?: Map<string, StateOverride>
  blockOverrides?: BlockOverrides
  /** gas cap when the request gives none */
  gasCap: bigint
}

/** Outcome of a simulated call; EVM halts are results (STYLE §4). */
export type CallResult = {
  returnData: Uint8Array
  /** gas the tx would consume, intrinsic gas included, after refunds */
  gasUsed: bigint
  /** undefined on success; 'revert' for REVERT; otherwise the halt reason (e.g. 'out of gas') */
  error?: string
}

/** A log in a callTracer frame (tracerConfig.withLog; geth's callLog, values 0x-hex). */
export type CallLog = {
  address: string
  topics: string[]
  data: string
  /** the log's index in its block */
  index: string
  /** how many sub-calls of the same frame came before it */
  position: string
}

/** callTracer frame (geth's callTracer output shape, values 0x-hex). */
export type CallFrame = {
  type: string
  from: string
  to?: string
  value?: string
  gas: string
  gasUsed: string
  input: string
  output?: string
  error?: string
  revertReason?: string
  calls?: CallFrame[]
  /** logs the frame emitted, when it did not fail (the RPC layer drops them unless withLog is set) */
  logs?: CallLog[]
}

/** An EIP-2930 access list as eth_createAccessList finds it. */
export type RpcAccessList = { address: Uint8Array; storageKeys: Uint8Array[] }[]

/** Port: simulated execution on private state copies, and traces (reth's EthCall / debug trace roles). */
export interface CallSimulator {
  call(req: CallRequest, opts: CallOptions): Promise<CallResult>
  createAccessList(req: CallRequest, opts: CallOptions): Promise<{ accessList: RpcAccessList; result: CallResult }>
  traceCall(req: CallRequest, opts: CallOptions): Promise<CallFrame>
  /** callTracer frame of a mined tx; undefined when the tx is unknown */
  traceTransaction(txHash: Uint8Array): Promise<CallFrame | undefined>
}
