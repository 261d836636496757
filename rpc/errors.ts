import { CALL_ERROR, isCodedError, OpenLedgerError } from '../runtime/index.ts'

/**
 * JSON-RPC error numbers (EIP-1474, plus geth's 3 for reverts, -32002 for timeouts and
 * eth_simulateV1's -32015 and -380xx).
 * This file is the single place where domain error codes become JSON-RPC numbers (STYLE §4).
 */
export const RPC_CODE = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  INVALID_INPUT: -32000,
  RESOURCE_NOT_FOUND: -32001,
  RESOURCE_UNAVAILABLE: -32002,
  TRANSACTION_REJECTED: -32003,
  METHOD_NOT_SUPPORTED: -32004,
  LIMIT_EXCEEDED: -32005,
  EXECUTION_REVERTED: 3,
  // eth_simulateV1 (execution-apis src/eth/execute.yaml, geth internal/ethapi/errors.go)
  VM_EXECUTION_ERROR: -32015,
  NONCE_TOO_LOW: -38010,
  NONCE_TOO_HIGH: -38011,
  BASE_FEE_TOO_LOW: -38012,
  INTRINSIC_GAS: -38013,
  INSUFFICIENT_FUNDS: -38014,
  BLOCK_GAS_LIMIT_REACHED: -38015,
  BLOCK_NUMBER_INVALID: -38020,
  BLOCK_TIMESTAMP_INVALID: -38021,
  MAX_INIT_CODE_SIZE_EXCEEDED: -38025,
  CLIENT_LIMIT_EXCEEDED: -38026,
} as const
/** One of {@link RPC_CODE}. */
export type RpcCode = (typeof RPC_CODE)[keyof typeof RPC_CODE]

/** Error codes raised by the RPC layer itself. */
export const RPC_ERROR = {
  PARSE: 'RPC_ERROR_PARSE',
  INVALID_REQUEST: 'RPC_ERROR_INVALID_REQUEST',
  METHOD_NOT_FOUND: 'RPC_ERROR_METHOD_NOT_FOUND',
  INVALID_PARAMS: 'RPC_ERROR_INVALID_PARAMS',
  INVALID_INPUT: 'RPC_ERROR_INVALID_INPUT',
  NOT_FOUND: 'RPC_ERROR_NOT_FOUND',
  UNAVAILABLE: 'RPC_ERROR_UNAVAILABLE',
  TIMEOUT: 'RPC_ERROR_TIMEOUT',
  METHOD_NOT_SUPPORTED: 'RPC_ERROR_METHOD_NOT_SUPPORTED',
  LIMIT_EXCEEDED: 'RPC_ERROR_LIMIT_EXCEEDED',
  TX_REJECTED: 'RPC_ERROR_TX_REJECTED',
  REVERTED: 'RPC_ERROR_REVERTED',
  INTERNAL: 'RPC_ERROR_INTERNAL',
} as const
/** One of {@link RPC_ERROR}. */
export type RpcErrorCode = (typeof RPC_ERROR)[keyof typeof RPC_ERROR]

/** An error raised by the RPC layer; `meta.data` (if any) becomes the JSON-RPC `data` field. */
export class RpcError extends OpenLedgerError<RpcErrorCode> {
  constructor(code: RpcErrorCode, message: string, meta: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, message, meta, options)
    this.name = 'RpcError'
  }
}

/** Shorthand for an invalid-params error (-32602). */
export function invalidParams(message: string): RpcError {
  return new RpcError(RPC_ERROR.INVALID_PARAMS, message)
}

/** The JSON-RPC error object placed in a response. */
export type JsonRpcErrorObject = { code: number; message: string; data?: unknown }

type Mapping = { code: number; message?: string }

/**
 * Domain code -> JSON-RPC. `message` (when set) replaces the domain message with the wording
 * geth uses, because ethers and viem classify errors by matching those strings.
 */
const TABLE: Record<string, Mapping> = {
  [RPC_ERROR.PARSE]: { code: RPC_CODE.PARSE_ERROR },
  [RPC_ERROR.INVALID_REQUEST]: { code: RPC_CODE.INVALID_REQUEST },
  [RPC_ERROR.METHOD_NOT_FOUND]: { code: RPC_CODE.METHOD_NOT_FOUND },
  [RPC_ERROR.INVALID_PARAMS]: { code: RPC_CODE.INVALID_PARAMS },
  [RPC_ERROR.INVALID_INPUT]: { code: RPC_CODE.INVALID_INPUT },
  [RPC_ERROR.NOT_FOUND]: { code: RPC_CODE.RESOURCE_NOT_FOUND },
  [RPC_ERROR.UNAVAILABLE]: { code: RPC_CODE.RESOURCE_UNAVAILABLE },
  [RPC_ERROR.TIMEOUT]: { code: RPC_CODE.RESOURCE_UNAVAILABLE },
  [RPC_ERROR.METHOD_NOT_SUPPORTED]: { code: RPC_CODE.METHOD_NOT_SUPPORTED },
  [RPC_ERROR.LIMIT_EXCEEDED]: { code: RPC_CODE.LIMIT_EXCEEDED },
  [RPC_ERROR.TX_REJECTED]: { code: RPC_CODE.TRANSACTION_REJECTED },
  [RPC_ERROR.REVERTED]: { code: RPC_CODE.EXECUTION_REVERTED },
  [RPC_ERROR.INTERNAL]: { code: RPC_CODE.INTERNAL_ERROR, message: 'internal error' },

  // txpool (node/txpool/types.ts TXPOOL_ERROR); wording as geth's core/txpool errors
  TXPOOL_ERROR_ALREADY_KNOWN: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'already known' },
  TXPOOL_ERROR_UNDERPRICED: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'transaction underpriced' },
  TXPOOL_ERROR_REPLACEMENT_UNDERPRICED: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'replacement transaction underpriced' },
  TXPOOL_ERROR_NONCE_TOO_LOW: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'nonce too low' },
  TXPOOL_ERROR_NONCE_TOO_HIGH: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'nonce too high' },
  TXPOOL_ERROR_INSUFFICIENT_FUNDS: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'insufficient funds for gas * price + value' },
  TXPOOL_ERROR_GAS_LIMIT_EXCEEDED: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'exceeds block gas limit' },
  TXPOOL_ERROR_INTRINSIC_GAS_TOO_LOW: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'intrinsic gas too low' },
  TXPOOL_ERROR_OVERSIZED: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'oversized data' },
  TXPOOL_ERROR_SENDER_LIMIT: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'account limit exceeded' },
  TXPOOL_ERROR_POOL_FULL: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'txpool is full' },
  // simulated calls (runtime/call CALL_ERROR)
  [CALL_ERROR.HEADER_NOT_FOUND]: { code: RPC_CODE.RESOURCE_NOT_FOUND },
  [CALL_ERROR.STATE_UNAVAILABLE]: { code: RPC_CODE.INVALID_INPUT },
  [CALL_ERROR.TOO_MANY_CALLS]: { code: RPC_CODE.LIMIT_EXCEEDED },
  [CALL_ERROR.NOT_EXECUTED]: { code: RPC_CODE.INVALID_INPUT },
  [CALL_ERROR.PROBE_BUDGET]: { code: RPC_CODE.LIMIT_EXCEEDED },
  // a message eth_simulateV1 cannot put in its block (eth_call reports these as call results);
  // the codes geth's txValidationError gives them
  [CALL_ERROR.NONCE_TOO_LOW]: { code: RPC_CODE.NONCE_TOO_LOW },
  [CALL_ERROR.NONCE_TOO_HIGH]: { code: RPC_CODE.NONCE_TOO_HIGH },
  [CALL_ERROR.FEE_CAP_TOO_LOW]: { code: RPC_CODE.BASE_FEE_TOO_LOW },
  [CALL_ERROR.TIP_ABOVE_FEE_CAP]: { code: RPC_CODE.INVALID_PARAMS },
  [CALL_ERROR.INTRINSIC_GAS]: { code: RPC_CODE.INTRINSIC_GAS },
  [CALL_ERROR.INSUFFICIENT_FUNDS]: { code: RPC_CODE.INSUFFICIENT_FUNDS },
  [CALL_ERROR.INIT_CODE_SIZE]: { code: RPC_CODE.MAX_INIT_CODE_SIZE_EXCEEDED },
  // geth answers these (nonce at max, calldata floor, EIP-7702 shape, ...) with its catch-all
  // -32603; here -32603 means a fault of the node, so they are invalid input
  [CALL_ERROR.NONCE_MAX]: { code: RPC_CODE.INVALID_INPUT },
  [CALL_ERROR.FLOOR_DATA_GAS]: { code: RPC_CODE.INVALID_INPUT },
  [CALL_ERROR.INVALID_MESSAGE]: { code: RPC_CODE.INVALID_INPUT },
  [CALL_ERROR.BLOCK_GAS_LIMIT]: { code: RPC_CODE.BLOCK_GAS_LIMIT_REACHED },
  [CALL_ERROR.BLOCK_NUMBER_ORDER]: { code: RPC_CODE.BLOCK_NUMBER_INVALID },
  [CALL_ERROR.BLOCK_TIMESTAMP_ORDER]: { code: RPC_CODE.BLOCK_TIMESTAMP_INVALID },
  [CALL_ERROR.SIMULATE_LIMIT]: { code: RPC_CODE.CLIENT_LIMIT_EXCEEDED },
  // evm_mine on a node that is starting or shutting down: retry later
  NODE_ERROR_STARTING: { code: RPC_CODE.RESOURCE_UNAVAILABLE, message: 'the sequencer is not running yet' },
  SEQUENCER_ERROR_STOPPED: { code: RPC_CODE.RESOURCE_UNAVAILABLE, message: 'the sequencer is stopped' },
}

/**
 * Domain prefixes whose codes are rejections of user input: their own message is safe and
 * useful to show (it names what was wrong), so they map without a per-code row.
 */
const PREFIX_TABLE: [prefix: string, code: number][] = [
  ['TX_ERROR_', RPC_CODE.TRANSACTION_REJECTED],
  ['TXPOOL_ERROR_', RPC_CODE.TRANSACTION_REJECTED],
  ['RPC_ERROR_', RPC_CODE.INVALID_INPUT],
]

/** Add or override rows of the table (used by modules that define their own user-facing codes). */
export function registerErrorMapping(code: string, mapping: Mapping): void {
  TABLE[code] = mapping
}

/**
 * Turn any thrown value into a JSON-RPC error object. Unmapped errors become -32603 with a
 * generic message; `onUnmapped` receives the original so the caller can log the details.
 */
export function toJsonRpcError(err: unknown, onUnmapped?: (err: unknown) => void): JsonRpcErrorObject {
  if (isCodedError(err)) {
    const row = TABLE[err.code]
    let code: number | undefined = row?.code
    if (code === undefined) {
      for (const [prefix, c] of PREFIX_TABLE) {
        if (err.code.startsWith(prefix)) {
          code = c
          break
        }
      }
    }
    if (code !== undefined) {
      if (code === RPC_CODE.INTERNAL_ERROR) onUnmapped?.(err)
      const out: JsonRpcErrorObject = { code, message: row?.message ?? err.message }
      const data = err.meta?.data
      if (data !== undefined) out.data = data
      return out
    }
  }
  onUnmapped?.(err)
  return { code: RPC_CODE.INTERNAL_ERROR, message: 'internal error' }
}
