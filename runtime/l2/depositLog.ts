import { Address, bytesToBigInt, bytesToHex, equalsBytes, hexToBytes } from '@ethereumjs/util'
import type { PrefixedHexString } from '@ethereumjs/util'
import { OpenLedgerError } from '../errors.ts'
import { DepositTx } from './depositTx.ts'
import { L2_ERROR } from './l2Errors.ts'
import { userDepositSourceHash } from './sourceHash.ts'

/**
 * topic0 of OptimismPortal's `TransactionDeposited(address indexed from, address indexed to,
 * uint256 indexed version, bytes opaqueData)` (keccak256 of that signature).
 */
export const TRANSACTION_DEPOSITED_TOPIC0: PrefixedHexString = '0xb3813568d9991fc951961fcb4c784893574240a28925604d09fc577c55bb7c32'

const TOPIC0 = hexToBytes(TRANSACTION_DEPOSITED_TOPIC0)
/** topic3 of a version-0 event: uint256(0) */
const VERSION_0 = new Uint8Array(32)
/** opaqueData v0: mint u256 ‖ value u256 ‖ gasLimit u64 ‖ isCreation u8 ‖ data (op-node deposit_log.go) */
const MIN_OPAQUE_DATA = 32 + 32 + 8 + 1

/** An L1 log as the derivation reads it (bytes as eth_getLogs gives them, decoded from hex). */
export type DepositLog = {
  /** the emitting contract */
  address: Uint8Array
  topics: Uint8Array[]
  data: Uint8Array
  /** the log's index among all logs of its L1 block (not within its receipt) */
  logIndex: bigint
  blockHash: Uint8Array
}

/**
 * Whether derivation looks at `log` at all: emitted by the deposit contract (the OptimismPortal
 * proxy) with TransactionDeposited's topic0. op-node skips every other log of the block; a log
 * that passes and then fails {@link decodeDepositLog} is a malformed deposit.
 */
export function isDepositLog(log: Pick<DepositLog, 'address' | 'topics'>, portal: Uint8Array): boolean {
  return equalsBytes(log.address, portal) && log.topics.length > 0 && equalsBytes(log.topics[0]!, TOPIC0)
}

/**
 * The deposit transaction op-node derives from a TransactionDeposited log (OP specs deposits.md;
 * op-node derive/deposit_log.go UnmarshalDepositLogEvent): exactly 4 topics; data = the ABI
 * encoding of one `bytes` (offset word exactly 32, length word within the data and with minimal
 * padding, data a multiple of 32 bytes); version (topic3) 0; opaqueData v0 of at least 73 bytes.
 * sourceHash is the user-deposit domain over (block hash, block-wide log index); from = topic1;
 * to = topic2 unless the isCreation byte is non-zero; isSystemTx false. Like op-node it reads the
 * addresses from the low 20 bytes of their topics and does not look at the padding bytes' values.
 *
 * @throws OpenLedgerError L2_ERROR_MALFORMED_DEPOSIT_LOG naming the reason (`meta.reason`)
 * @example
 * const tx = decodeDepositLog({ address, topics, data, logIndex: 1n, blockHash }, portal)
 */
export function decodeDepositLog(log: DepositLog, portal: Uint8Array): DepositTx {
  const { topics, data } = log
  const fail = (reason: string): OpenLedgerError =>
    new OpenLedgerError(L2_ERROR.MALFORMED_DEPOSIT_LOG, `malformed TransactionDeposited log: ${reason}`, {
      reason,
      logIndex: log.logIndex,
      blockHash: bytesToHex(log.blockHash),
    })
  if (!equalsBytes(log.address, portal)) throw fail('not emitted by the deposit contract')
  if (topics.length !== 4) throw fail(`expected 4 topics, got ${topics.length}`)
  if (topics.some((topic) => topic.length !== 32)) throw fail('a topic is not 32 bytes')
  if (!equalsBytes(topics[0]!, TOPIC0)) throw fail('topic0 is not TransactionDeposited')
  if (log.blockHash.length !== 32) throw fail('block hash is not 32 bytes')
  if (log.logIndex < 0n) throw fail('negative log index')
  if (data.length < 64) throw fail(`data of ${data.length} bytes has no bytes header (offset, length)`)
  if (data.length % 32 !== 0) throw fail(`data of ${data.length} bytes is not a multiple of 32`)
  const offset = bytesToBigInt(data.subarray(0, 32))
  if (offset !== 32n) throw fail(`opaqueData offset is ${offset}, expected 32`)
  const length = bytesToBigInt(data.subarray(32, 64))
  const room = BigInt(data.length - 64)
  if (length > room) throw fail(`opaqueData length ${length} exceeds the ${room} bytes after the header`)
  // minimal padding: 32 more bytes of content would not fit (op-node's length + 32 <= room check)
  if (length + 32n <= room) throw fail(`opaqueData length ${length} leaves more than 31 bytes of padding`)
  if (!equalsBytes(topics[3]!, VERSION_0)) throw fail(`unsupported deposit version ${bytesToBigInt(topics[3]!)}`)
  const opaque = data.subarray(64, 64 + Number(length))
  if (opaque.length < MIN_OPAQUE_DATA) throw fail(`opaqueData v0 of ${opaque.length} bytes, at least ${MIN_OPAQUE_DATA} needed`)
  const isCreation = opaque[72] !== 0
  return new DepositTx({
    sourceHash: userDepositSourceHash(log.blockHash, log.logIndex),
    from: new Address(topics[1]!.slice(12)),
    to: isCreation ? undefined : new Address(topics[2]!.slice(12)),
    mint: bytesToBigInt(opaque.subarray(0, 32)),
    value: bytesToBigInt(opaque.subarray(32, 64)),
    gasLimit: bytesToBigInt(opaque.subarray(64, 72)),
    isSystemTx: false,
    data: opaque.slice(MIN_OPAQUE_DATA),
  })
}
