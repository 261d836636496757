import { bigIntToBytes, bytesToBigInt, bytesToHex, createAddressFromString, equalsBytes, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import type { RollupSpec } from '../../genesis/index.ts'
import { OpenLedgerError } from '../errors.ts'
import { DepositTx, isDepositTx } from './depositTx.ts'
import { L2_ERROR } from './l2Errors.ts'
import { l1InfoSourceHash } from './sourceHash.ts'
import { DEPOSITOR_ACCOUNT, PREDEPLOYS } from './predeploys/predeployAddresses.ts'
import type { L1Origin } from './types.ts'

/** The L1-info depositor account (OP specs deposits.md, "L1 Attributes Deposited Transaction"); no known key. */
export const L1_INFO_DEPOSITOR = DEPOSITOR_ACCOUNT
/** The L1Block predeploy, target of the L1-info deposit. */
export const L1_BLOCK_ADDRESS = PREDEPLOYS.L1Block
/** Gas limit of the L1-info deposit from Regolith on (deposits.md: 1,000,000; 150,000,000 before). */
export const L1_INFO_GAS_LIMIT = 1_000_000n

/** The per-block L1 values the L1-info deposit writes into L1Block (Ecotone's field set). */
export type L1Info = {
  baseFeeScalar: number
  blobBaseFeeScalar: number
  /** the L2 block's position in its epoch (0 for the first block of an L1 origin) */
  sequenceNumber: bigint
  /** L1 origin header fields */
  timestamp: bigint
  number: bigint
  baseFee: bigint
  blobBaseFee: bigint
  hash: Uint8Array
  /** the batcher address, left-padded to 32 bytes */
  batcherHash: Uint8Array
}

/** A calldata form of the L1-info deposit: an L1Block setter (one per fork that changed it). */
export type L1InfoForm = RollupSpec['l1InfoForm']

type FieldKind = 'number' | 'bigint' | 'bytes'
type Field = { name: keyof L1Info; size: number; kind: FieldKind }
type FormRule = { selector: Uint8Array; fields: readonly Field[]; length: number }

function formRule(selector: string, fields: readonly Field[]): FormRule {
  return { selector: hexToBytes(selector as `0x${string}`), fields, length: 4 + fields.reduce((n, f) => n + f.size, 0) }
}

/**
 * The forms, each a selector and its packed big-endian layout (OP specs ecotone/l1-attributes.md;
 * not ABI-encoded). Isthmus (0x098999be, + operatorFeeScalar u32, operatorFeeConstant u64) and
 * Jovian (0x3db6be2b, + daFootprintGasScalar u16) are one more entry each.
 */
const FORMS: Record<L1InfoForm, FormRule> = {
  ecotone: formRule('0x440a5e20', [
    { name: 'baseFeeScalar', size: 4, kind: 'number' },
    { name: 'blobBaseFeeScalar', size: 4, kind: 'number' },
    { name: 'sequenceNumber', size: 8, kind: 'bigint' },
    { name: 'timestamp', size: 8, kind: 'bigint' },
    { name: 'number', size: 8, kind: 'bigint' },
    { name: 'baseFee', size: 32, kind: 'bigint' },
    { name: 'blobBaseFee', size: 32, kind: 'bigint' },
    { name: 'hash', size: 32, kind: 'bytes' },
    { name: 'batcherHash', size: 32, kind: 'bytes' },
  ]),
}
// fixed order for decoding (never iterate a map whose order could change the result)
const FORM_NAMES = Object.keys(FORMS).sort() as L1InfoForm[]

/**
 * The L1-info calldata of `form`: its selector, then each field big-endian in its width. A value
 * that does not fit its field is refused (L2_ERROR_MALFORMED_L1_INFO).
 *
 * @example
 * encodeL1InfoCalldata('ecotone', info).length // 164
 */
export function encodeL1InfoCalldata(form: L1InfoForm, info: L1Info): Uint8Array {
  const rule = FORMS[form]
  const out = new Uint8Array(rule.length)
  out.set(rule.selector, 0)
  let pos = 4
  for (const field of rule.fields) {
    out.set(fieldBytes(field, info[field.name]), pos)
    pos += field.size
  }
  return out
}

/**
 * Decode L1-info calldata strictly: a known selector and exactly its form's length, else
 * L2_ERROR_MALFORMED_L1_INFO.
 */
export function decodeL1InfoCalldata(data: Uint8Array): { form: L1InfoForm; info: L1Info } {
  const form = FORM_NAMES.find((name) => data.length >= 4 && equalsBytes(data.subarray(0, 4), FORMS[name].selector))
  if (form === undefined) throw malformed('unknown L1-info selector', { selector: bytesToHex(data.subarray(0, 4)) })
  const rule = FORMS[form]
  if (data.length !== rule.length) throw malformed('L1-info calldata has the wrong length', { form, length: data.length, expected: rule.length })
  const info: Record<string, number | bigint | Uint8Array> = {}
  let pos = 4
  for (const field of rule.fields) {
    const bytes = data.slice(pos, pos + field.size)
    info[field.name] = field.kind === 'bytes' ? bytes : field.kind === 'number' ? Number(bytesToBigInt(bytes)) : bytesToBigInt(bytes)
    pos += field.size
  }
  return { form, info: info as L1Info }
}

/** The L1 origin fields the L1-info deposit carries. */
export type L1InfoOrigin = Pick<L1Origin, 'number' | 'hash' | 'timestamp' | 'baseFee' | 'blobBaseFee'>

/**
 * The L1-info deposit, transaction 0 of every L2 block of a rollup chain: from the depositor to
 * L1Block, mint 0, value 0, gas 1,000,000, not a system tx, the domain-1 sourceHash of (origin
 * hash, sequence number), the calldata of `rollup.l1InfoForm` with the rollup's batcher and scalars.
 *
 * @example
 * const tx0 = l1InfoDepositTx(origin, 0n, spec.rollup)
 */
export function l1InfoDepositTx(origin: L1InfoOrigin, sequenceNumber: bigint, rollup: RollupSpec): DepositTx {
  const info: L1Info = {
    baseFeeScalar: rollup.baseFeeScalar,
    blobBaseFeeScalar: rollup.blobBaseFeeScalar,
    sequenceNumber,
    timestamp: origin.timestamp,
    number: origin.number,
    baseFee: origin.baseFee,
    blobBaseFee: origin.blobBaseFee,
    hash: origin.hash,
    batcherHash: setLengthLeft(hexToBytes(rollup.batcher), 32),
  }
  return new DepositTx({
    sourceHash: l1InfoSourceHash(origin.hash, sequenceNumber),
    from: createAddressFromString(L1_INFO_DEPOSITOR),
    to: createAddressFromString(L1_BLOCK_ADDRESS),
    mint: 0n,
    value: 0n,
    gasLimit: L1_INFO_GAS_LIMIT,
    isSystemTx: false,
    data: encodeL1InfoCalldata(rollup.l1InfoForm, info),
  })
}

/**
 * Check that `tx` is a well-formed L1-info deposit (the validator's rule for tx 0 of a rollup
 * block): its fixed fields, calldata that decodes, and a sourceHash that is the domain-1 hash of
 * the origin hash and sequence number it carries. Returns the decoded info; throws
 * L2_ERROR_INVALID_DEPOSITS (calldata errors as its cause).
 */
export function assertL1InfoDeposit(tx: DepositTx): L1Info {
  const wrong = (reason: string, cause?: unknown): OpenLedgerError =>
    new OpenLedgerError(L2_ERROR.INVALID_DEPOSITS, `first transaction is not a valid L1-info deposit: ${reason}`, {}, { cause })
  if (tx.from.toString() !== L1_INFO_DEPOSITOR) throw wrong('from is not the L1-info depositor')
  if (tx.to?.toString() !== L1_BLOCK_ADDRESS) throw wrong('to is not L1Block')
  if (tx.mint !== 0n || tx.value !== 0n) throw wrong('mint and value must be 0')
  if (tx.gasLimit !== L1_INFO_GAS_LIMIT) throw wrong('gas must be 1,000,000')
  if (tx.isSystemTx) throw wrong('isSystemTx must be false')
  let info: L1Info
  try {
    info = decodeL1InfoCalldata(tx.data).info
  } catch (cause) {
    throw wrong('calldata does not decode', cause)
  }
  if (!equalsBytes(tx.sourceHash, l1InfoSourceHash(info.hash, info.sequenceNumber))) throw wrong('sourceHash does not match its L1 hash and sequence number')
  return info
}

/**
 * The L1 info a block of a rollup chain carries: its tx 0, checked as {@link assertL1InfoDeposit}
 * (the block's L1 origin and its place in the epoch). L2_ERROR_INVALID_DEPOSITS when tx 0 is not a
 * deposit; `meta` (e.g. the block number) goes into that error.
 */
export function blockL1Info(txs: readonly unknown[], meta: Record<string, unknown> = {}): L1Info {
  const first = txs[0]
  if (!isDepositTx(first)) throw new OpenLedgerError(L2_ERROR.INVALID_DEPOSITS, 'the first transaction of a rollup block must be the L1-info deposit', meta)
  return assertL1InfoDeposit(first)
}

function fieldBytes(field: Field, value: L1Info[keyof L1Info]): Uint8Array {
  if (field.kind === 'bytes') {
    const bytes = value as Uint8Array
    if (bytes.length !== field.size) throw malformed(`${field.name} must be ${field.size} bytes`, { length: bytes.length })
    return bytes
  }
  const n = BigInt(value as number | bigint)
  if (n < 0n || n >= 1n << BigInt(field.size * 8)) throw malformed(`${field.name} does not fit ${field.size * 8} bits`, { value: n.toString() })
  return setLengthLeft(bigIntToBytes(n), field.size)
}

function malformed(reason: string, meta: Record<string, unknown>): OpenLedgerError {
  return new OpenLedgerError(L2_ERROR.MALFORMED_L1_INFO, `malformed L1-info calldata: ${reason}`, meta)
}
