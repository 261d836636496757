import { GENESIS_ERROR } from '../genesis/index.ts'
import { BLOCK_ERROR, CALL_ERROR, isCodedError, L2_ERROR, OpenLedgerError, TX_ERROR } from '../runtime/index.ts'
// STYLE §4 wants one table typed over every domain's catalogue. The catalogues of node/ and
// native/ domains are leaf files (as-const objects, no imports): the only node/ and native/
// files rpc/ may import (test/unit/layers.test.ts, ERROR_CATALOGUE_FILES).
import { NativeErrorCode } from '../native/nativeError.ts'
import { CHAIN_ERROR } from '../node/chain/chainErrors.ts'
import { CONFIG_ERROR } from '../node/config/errors.ts'
import { CRYPTO_ERROR } from '../node/crypto/cryptoErrors.ts'
import { NODE_ERROR } from '../node/nodeErrors.ts'
import { PROPOSER_ERROR } from '../node/proposer/proposerErrors.ts'
import { SEQUENCER_ERROR } from '../node/sequencer/sequencerErrors.ts'
import { TXPOOL_ERROR } from '../node/txpool/txPoolErrors.ts'

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

/**
 * Every domain's code catalogue (as-const objects). A domain that adds a catalogue adds it here;
 * a code it adds to its catalogue must get a row in {@link ERROR_TABLE} (a type error otherwise).
 */
export const ERROR_CATALOGUES = [
  RPC_ERROR,
  TX_ERROR,
  BLOCK_ERROR,
  CALL_ERROR,
  L2_ERROR,
  GENESIS_ERROR,
  TXPOOL_ERROR,
  SEQUENCER_ERROR,
  PROPOSER_ERROR,
  NODE_ERROR,
  CHAIN_ERROR,
  CRYPTO_ERROR,
  CONFIG_ERROR,
  NativeErrorCode,
] as const

// distributes over the union of catalogue types (keyof a union is only the keys they share)
type CodeOf<C> = C extends unknown ? C[keyof C] : never
/** Every domain error code: the union of the catalogues' values. */
export type DomainErrorCode = CodeOf<(typeof ERROR_CATALOGUES)[number]>

/**
 * One row of the table. `message` (when set) replaces the domain message with the wording geth
 * uses, because ethers and viem classify errors by matching those strings; without it the domain
 * message is shown (codes whose message names what was wrong in the user's input).
 */
export type ErrorMapping = { readonly code: RpcCode; readonly message?: string }

const REJECTED: ErrorMapping = { code: RPC_CODE.TRANSACTION_REJECTED }
/** -32603 with a generic message; the error itself goes to the log only (STYLE §4). */
const INTERNAL: ErrorMapping = { code: RPC_CODE.INTERNAL_ERROR, message: 'internal error' }

/**
 * Domain code -> JSON-RPC, one row per code of every catalogue (typed: a missing row, or a key
 * that is no catalogue member, does not compile). Codes that only arise at start-up or inside
 * the node (options, datadir, storage, block import, the inference engine) map to INTERNAL.
 */
export const ERROR_TABLE: { readonly [C in DomainErrorCode]: ErrorMapping } = {
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
  [RPC_ERROR.TX_REJECTED]: REJECTED,
  [RPC_ERROR.REVERTED]: { code: RPC_CODE.EXECUTION_REVERTED },
  [RPC_ERROR.INTERNAL]: INTERNAL,

  // runtime/tx: a raw tx the node cannot accept; the message names the fault
  [TX_ERROR.MALFORMED]: REJECTED,
  [TX_ERROR.UNSUPPORTED_TYPE]: REJECTED,
  [TX_ERROR.BLOB_UNSUPPORTED]: REJECTED,
  [TX_ERROR.WRONG_CHAIN_ID]: REJECTED,
  [TX_ERROR.NOT_EIP155]: REJECTED,
  [TX_ERROR.UNSIGNED]: REJECTED,
  [TX_ERROR.INVALID_SIGNATURE]: REJECTED,
  [TX_ERROR.BLOCK_GAS_EXCEEDED]: REJECTED,
  [TX_ERROR.EXECUTION_INVALID]: REJECTED,

  // txpool; wording as geth's core/txpool and core errors
  [TXPOOL_ERROR.ALREADY_KNOWN]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'already known' },
  [TXPOOL_ERROR.UNDERPRICED]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'transaction underpriced' },
  [TXPOOL_ERROR.REPLACEMENT_UNDERPRICED]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'replacement transaction underpriced' },
  [TXPOOL_ERROR.NONCE_TOO_LOW]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'nonce too low' },
  [TXPOOL_ERROR.NONCE_TOO_HIGH]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'nonce too high' },
  [TXPOOL_ERROR.INSUFFICIENT_FUNDS]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'insufficient funds for gas * price + value' },
  [TXPOOL_ERROR.OVERDRAFT]: REJECTED,
  [TXPOOL_ERROR.GAS_LIMIT_EXCEEDED]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'exceeds block gas limit' },
  [TXPOOL_ERROR.INTRINSIC_GAS_TOO_LOW]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'intrinsic gas too low' },
  [TXPOOL_ERROR.OVERSIZED]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'oversized data' },
  [TXPOOL_ERROR.SENDER_LIMIT]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'account limit exceeded' },
  [TXPOOL_ERROR.POOL_FULL]: { code: RPC_CODE.TRANSACTION_REJECTED, message: 'txpool is full' },
  [TXPOOL_ERROR.CLOSED]: REJECTED,
  [TXPOOL_ERROR.INVALID_OPTION]: INTERNAL,

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
  [NODE_ERROR.STARTING]: { code: RPC_CODE.RESOURCE_UNAVAILABLE, message: 'the sequencer is not running yet' },
  [SEQUENCER_ERROR.STOPPED]: { code: RPC_CODE.RESOURCE_UNAVAILABLE, message: 'the sequencer is stopped' },
  [SEQUENCER_ERROR.INVALID_OPTION]: INTERNAL,
  [SEQUENCER_ERROR.L1_UNAVAILABLE]: { code: RPC_CODE.RESOURCE_UNAVAILABLE, message: 'L1 is not available: the block cannot be built yet' },
  [SEQUENCER_ERROR.L1_MISMATCH]: INTERNAL,
  // --dev time control: the message says what was wrong with the timestamp (anvil's wording)
  [SEQUENCER_ERROR.INVALID_TIMESTAMP]: { code: RPC_CODE.INVALID_PARAMS },

  [PROPOSER_ERROR.INVALID_OPTION]: INTERNAL,
  [PROPOSER_ERROR.PROPOSAL_REVERTED]: INTERNAL,
  [PROPOSER_ERROR.PROPOSAL_NOT_MINED]: INTERNAL,
  // a 0x7E body that does not decode reaches RPC only inside a block (import) or a raw tx
  [L2_ERROR.MALFORMED_DEPOSIT]: REJECTED,
  [L2_ERROR.MALFORMED_DEPOSIT_LOG]: INTERNAL,
  [L2_ERROR.MALFORMED_L1_INFO]: INTERNAL,
  [L2_ERROR.INVALID_DEPOSITS]: INTERNAL,
  [L2_ERROR.PREDEPLOY_BUILD_FAILED]: INTERNAL,
  [L2_ERROR.PREDEPLOY_ALLOC_CONFLICT]: INTERNAL,

  [CHAIN_ERROR.GENESIS_MISMATCH]: INTERNAL,
  [CHAIN_ERROR.CORRUPT]: INTERNAL,
  [CHAIN_ERROR.UNKNOWN_BLOCK]: INTERNAL,
  [CHAIN_ERROR.NOT_HEAD_CHILD]: INTERNAL,
  [CHAIN_ERROR.CLOSED]: INTERNAL,

  [BLOCK_ERROR.MALFORMED]: INTERNAL,
  [BLOCK_ERROR.UNKNOWN_PARENT]: INTERNAL,
  [BLOCK_ERROR.INVALID_NUMBER]: INTERNAL,
  [BLOCK_ERROR.INVALID_TIMESTAMP]: INTERNAL,
  [BLOCK_ERROR.INVALID_GAS_LIMIT]: INTERNAL,
  [BLOCK_ERROR.INVALID_BASE_FEE]: INTERNAL,
  [BLOCK_ERROR.INVALID_COINBASE]: INTERNAL,
  [BLOCK_ERROR.INVALID_HEADER]: INTERNAL,
  [BLOCK_ERROR.INVALID_BODY]: INTERNAL,
  [BLOCK_ERROR.INVALID_EXECUTION]: INTERNAL,
  [BLOCK_ERROR.UNSUPPORTED_SYSTEM_CONTRACT]: INTERNAL,
  [BLOCK_ERROR.FEE_CREDIT_FAILED]: INTERNAL,

  [CRYPTO_ERROR.NATIVE_UNAVAILABLE]: INTERNAL,
  // runtime/tx wraps a bad signature into TX_ERROR.INVALID_SIGNATURE before it gets here
  [CRYPTO_ERROR.INVALID_SIGNATURE]: INTERNAL,

  [GENESIS_ERROR.INVALID_JSON]: INTERNAL,
  [GENESIS_ERROR.FILE_UNREADABLE]: INTERNAL,
  [GENESIS_ERROR.MISSING_FIELD]: INTERNAL,
  [GENESIS_ERROR.INVALID_FIELD]: INTERNAL,
  [GENESIS_ERROR.UNKNOWN_FIELD]: INTERNAL,
  [GENESIS_ERROR.UNSUPPORTED_VERSION]: INTERNAL,
  [GENESIS_ERROR.UNSUPPORTED_HARDFORK]: INTERNAL,
  [GENESIS_ERROR.UNSUPPORTED_CONFIG]: INTERNAL,
  [GENESIS_ERROR.BAD_CHECKSUM]: INTERNAL,
  [GENESIS_ERROR.DUPLICATE_ADDRESS]: INTERNAL,
  [GENESIS_ERROR.DUPLICATE_BUCKET]: INTERNAL,
  [GENESIS_ERROR.TOKENOMICS_MISMATCH]: INTERNAL,
  [GENESIS_ERROR.ALLOC_BALANCE_WITH_TOKENOMICS]: INTERNAL,
  [GENESIS_ERROR.ROLLUP_MISMATCH]: INTERNAL,

  [CONFIG_ERROR.UNKNOWN_OPTION]: INTERNAL,
  [CONFIG_ERROR.INVALID_OPTION]: INTERNAL,
  [CONFIG_ERROR.CONFLICTING_OPTIONS]: INTERNAL,
  [CONFIG_ERROR.CONFIG_FILE]: INTERNAL,
  [CONFIG_ERROR.KEYSTORE_INVALID]: INTERNAL,
  [CONFIG_ERROR.KEYSTORE_WRONG_PASSWORD]: INTERNAL,
  [CONFIG_ERROR.SEQUENCER_KEY_MISMATCH]: INTERNAL,
  [CONFIG_ERROR.DATADIR_NOT_INITIALISED]: INTERNAL,
  [CONFIG_ERROR.RPC_ADDR_UNAVAILABLE]: INTERNAL,
  [CONFIG_ERROR.RPC_PORT_UNAVAILABLE]: INTERNAL,
  [CONFIG_ERROR.GENESIS_MISMATCH]: INTERNAL,

  // the inference engine sits behind runtime's port; no request reaches it directly today
  [NativeErrorCode.INVALID_ARGUMENT]: INTERNAL,
  [NativeErrorCode.IO_ERROR]: INTERNAL,
  [NativeErrorCode.FORMAT_ERROR]: INTERNAL,
  [NativeErrorCode.TRUNCATED_FILE]: INTERNAL,
  [NativeErrorCode.UNSUPPORTED_DTYPE]: INTERNAL,
  [NativeErrorCode.MISSING_TENSOR]: INTERNAL,
  [NativeErrorCode.SHAPE_MISMATCH]: INTERNAL,
  [NativeErrorCode.UNSUPPORTED_MODEL]: INTERNAL,
  [NativeErrorCode.UNSUPPORTED_ADAPTER]: INTERNAL,
  [NativeErrorCode.ADAPTER_RANK_TOO_LARGE]: INTERNAL,
  [NativeErrorCode.ADAPTER_NOT_FOUND]: INTERNAL,
  [NativeErrorCode.ADAPTER_TOO_LARGE]: INTERNAL,
  [NativeErrorCode.ADAPTER_CHANGED]: INTERNAL,
  [NativeErrorCode.NO_MODEL]: INTERNAL,
  [NativeErrorCode.MODEL_ALREADY_LOADED]: INTERNAL,
  [NativeErrorCode.TOKEN_OUT_OF_RANGE]: INTERNAL,
  [NativeErrorCode.PROMPT_TOO_LONG]: INTERNAL,
  [NativeErrorCode.KV_OUT_OF_MEMORY]: INTERNAL,
  [NativeErrorCode.OUT_OF_MEMORY]: INTERNAL,
  [NativeErrorCode.BACKEND_UNAVAILABLE]: INTERNAL,
  [NativeErrorCode.BACKEND_ERROR]: INTERNAL,
  [NativeErrorCode.INTERNAL]: INTERNAL,
  [NativeErrorCode.ADDON_NOT_BUILT]: INTERNAL,
}

function isDomainErrorCode(code: string): code is DomainErrorCode {
  return Object.hasOwn(ERROR_TABLE, code)
}

/**
 * Turn any thrown value into a JSON-RPC error object through {@link ERROR_TABLE}. Errors without a
 * catalogue code, and codes that map to -32603, answer a generic "internal error"; `onUnmapped`
 * receives the original so the caller can log the details.
 */
export function toJsonRpcError(err: unknown, onUnmapped?: (err: unknown) => void): JsonRpcErrorObject {
  if (isCodedError(err) && isDomainErrorCode(err.code)) {
    const row = ERROR_TABLE[err.code]
    if (row.code === RPC_CODE.INTERNAL_ERROR) onUnmapped?.(err)
    const out: JsonRpcErrorObject = { code: row.code, message: row.message ?? err.message }
    const data = err.meta?.data
    if (data !== undefined) out.data = data
    return out
  }
  onUnmapped?.(err)
  return { code: INTERNAL.code, message: 'internal error' }
}
