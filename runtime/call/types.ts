import type { Block } from '@ethereumjs/block'
import type { TxLog } from '../types.ts'

// The simulated-call model shared by eth_call, eth_estimateGas, eth_createAccessList,
// eth_simulateV1 and the debug tracers (rpc/ parses requests into these types and formats the
// results; runtime/call executes them).

/**
 * The post-state a state read or simulated call sees: a canonical block number (every tag, every
 * number and a hash that is canonical: the hot path, allocation-free), or a block off the
 * canonical chain named by hash with requireCanonical false (EIP-1898), whose own state root is
 * read, not the canonical block's at the same height.
 */
export type StateAt = bigint | Block

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
  /** EIP-7702 authorizations (a set-code message): each is applied as the tx would apply it */
  authorizationList?: CallAuthorization[]
}

/** One signed EIP-7702 authorization of a call request (execution-apis Authorization). */
export type CallAuthorization = {
  chainId: bigint
  address: Uint8Array
  nonce: bigint
  yParity: bigint
  r: bigint
  s: bigint
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

/** A withdrawal a simulated block credits after its calls (execution-apis Withdrawal; amount in Gwei). */
export type SimulatedWithdrawal = { index: bigint; validatorIndex: bigint; address: Uint8Array; amount: bigint }

/** Block overrides of one eth_simulateV1 block: eth_call's, plus the fields only a built block has. */
export type SimulateBlockOverrides = BlockOverrides & {
  /** parent beacon block root (EIP-4788; geth's beaconRoot) */
  beaconRoot?: Uint8Array
  withdrawals?: SimulatedWithdrawal[]
}

/** One block of an eth_simulateV1 request (execution-apis BlockStateCall). */
export type SimulateBlockCalls = {
  blockOverrides?: SimulateBlockOverrides
  /** applied to the state the previous block left, before this block's calls */
  stateOverrides?: Map<string, StateOverride>
  calls: CallRequest[]
}

/** An eth_simulateV1 request after parameter validation. */
export type SimulateOptions = {
  /** the base block: simulated blocks build on its post-state and header */
  at: StateAt
  blocks: SimulateBlockCalls[]
  /** check nonces, fees and balances as for real txs, with the base fee computed from the parent */
  validation: boolean
  /** report native value transfers as ERC-20 Transfer logs of 0xEeee...EEeE (ERC-7528) */
  traceTransfers: boolean
  /** gas all calls of the request may use together (geth: the RPC gas cap); 0 = unlimited */
  gasCap: bigint
}

/** Outcome of one simulated call (geth's simCallResult); EVM halts are results (STYLE §4). */
export type SimulatedCall = {
  status: 0 | 1
  returnData: Uint8Array
  /** gas the tx consumed (after refunds, at least the calldata floor) */
  gasUsed: bigint
  /** gas used before refunds (geth's maxUsedGas) */
  maxUsedGas: bigint
  /** logs in execution order, indexed within the block; empty when the call failed */
  logs: TxLog[]
  /** undefined on success; 'revert' for REVERT; otherwise the halt reason in geth's words */
  error?: string
}

/**
 * One simulated block: the block as built (its txs unsigned: each reports the request's sender
 * and hashes as geth hashes it) and the outcome of each of its calls, in order.
 */
export type SimulatedBlock = { block: Block; calls: SimulatedCall[] }
