import type { CallFrame, CallOptions, CallRequest, CallResult, SimulatedBlock, SimulateOptions } from '../../runtime/index.ts'

// The simulated-call model is runtime's (runtime/call/types.ts): rpc/ parses requests into it
// and formats its results.
export type {
  BlockOverrides,
  CallAuthorization,
  CallFrame,
  CallLog,
  CallOptions,
  CallRequest,
  CallResult,
  SimulatedBlock,
  SimulateOptions,
  StateOverride,
} from '../../runtime/index.ts'

/** An EIP-2930 access list as eth_createAccessList finds it. */
export type RpcAccessList = { address: Uint8Array; storageKeys: Uint8Array[] }[]

/** Port: simulated execution on private state copies, and traces (reth's EthCall / debug trace roles). */
export interface CallSimulator {
  call(req: CallRequest, opts: CallOptions): Promise<CallResult>
  createAccessList(req: CallRequest, opts: CallOptions): Promise<{ accessList: RpcAccessList; result: CallResult }>
  traceCall(req: CallRequest, opts: CallOptions): Promise<CallFrame>
  /** eth_simulateV1: blocks built in order on `options.at`'s state; nothing reaches the chain */
  simulate(options: SimulateOptions): Promise<SimulatedBlock[]>
  /** callTracer frame of a mined tx; undefined when the tx is unknown */
  traceTransaction(txHash: Uint8Array): Promise<CallFrame | undefined>
}
