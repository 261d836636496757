import { RLP } from '@ethereumjs/rlp'
import { Capability } from '@ethereumjs/tx'
import { Address, bigIntToUnpaddedBytes, bytesToBigInt, bytesToHex } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { OpenLedgerError } from '../errors.ts'
import { L2_ERROR } from './l2Errors.ts'

/** EIP-2718 type byte of an OP Stack deposit transaction. */
export const DEPOSIT_TX_TYPE = 0x7e

/** The eight consensus fields of a deposit, in encoding order (OP specs, deposits.md). */
export type DepositFields = {
  /** domain-separated origin of the deposit (sourceHash.ts) */
  sourceHash: Uint8Array
  from: Address
  /** undefined for a contract creation */
  to: Address | undefined
  /** native OPEN credited to `from` before execution, kept even if the deposit fails */
  mint: bigint
  value: bigint
  gasLimit: bigint
  /** false from Regolith on; kept for the encoding */
  isSystemTx: boolean
  data: Uint8Array
}

const UINT64_MAX = (1n << 64n) - 1n
const UINT256_MAX = (1n << 256n) - 1n
const TRUE = Uint8Array.of(1)
const EMPTY = new Uint8Array(0)

/**
 * An OP Stack deposit transaction (type 0x7E): no signature, nonce or fee fields; its hash is
 * keccak256(0x7E ‖ RLP(fields)). Built by the sequencer from L1 (user deposits, TransactionDeposited
 * logs) and from the L1 origin (the L1-info deposit), never accepted from JSON-RPC. It sits in
 * blocks beside ethereumjs' signed txs and answers the few members a Block and the tx trie use
 * (`type`, `hash()`, `serialize()`, `supports()`); everything else branches on {@link isDepositTx}.
 *
 * @example
 * const tx = new DepositTx({ sourceHash, from, to, mint: 10n ** 18n, value: 0n, gasLimit: 100_000n, isSystemTx: false, data: new Uint8Array() })
 * DepositTx.fromSerialized(tx.serialize()).hash() // same hash
 */
export class DepositTx implements DepositFields {
  readonly type = DEPOSIT_TX_TYPE
  readonly sourceHash: Uint8Array
  readonly from: Address
  readonly to: Address | undefined
  readonly mint: bigint
  readonly value: bigint
  readonly gasLimit: bigint
  readonly isSystemTx: boolean
  readonly data: Uint8Array
  #serialized: Uint8Array | undefined
  #hash: Uint8Array | undefined

  constructor(fields: DepositFields) {
    if (fields.sourceHash.length !== 32) throw malformed('sourceHash must be 32 bytes')
    if (fields.mint < 0n || fields.mint > UINT256_MAX) throw malformed('mint out of range')
    if (fields.value < 0n || fields.value > UINT256_MAX) throw malformed('value out of range')
    if (fields.gasLimit < 0n || fields.gasLimit > UINT64_MAX) throw malformed('gas out of range')
    this.sourceHash = fields.sourceHash
    this.from = fields.from
    this.to = fields.to
    this.mint = fields.mint
    this.value = fields.value
    this.gasLimit = fields.gasLimit
    this.isSystemTx = fields.isSystemTx
    this.data = fields.data
    Object.freeze(this)
  }

  /** Decode 0x7E ‖ RLP([sourceHash, from, to, mint, value, gas, isSystemTx, data]), strictly. */
  static fromSerialized(raw: Uint8Array): DepositTx {
    if (raw[0] !== DEPOSIT_TX_TYPE) throw malformed('not a deposit transaction (type byte is not 0x7e)')
    let fields: unknown
    try {
      fields = RLP.decode(raw.subarray(1))
    } catch (cause) {
      throw malformed('deposit transaction is not valid RLP', cause)
    }
    if (!Array.isArray(fields) || fields.length !== 8 || !fields.every((f) => f instanceof Uint8Array)) {
      throw malformed('deposit transaction must be an RLP list of 8 byte strings')
    }
    const [sourceHash, from, to, mint, value, gas, isSystemTx, data] = fields as Uint8Array[]
    if (from!.length !== 20) throw malformed('from must be 20 bytes')
    if (to!.length !== 0 && to!.length !== 20) throw malformed('to must be 20 bytes or empty')
    if (isSystemTx!.length > 1 || (isSystemTx!.length === 1 && isSystemTx![0] !== 1)) throw malformed('isSystemTx must be a boolean')
    return new DepositTx({
      sourceHash: sourceHash!,
      from: new Address(from!),
      to: to!.length === 0 ? undefined : new Address(to!),
      mint: quantity(mint!, 32, 'mint'),
      value: quantity(value!, 32, 'value'),
      gasLimit: quantity(gas!, 8, 'gas'),
      isSystemTx: isSystemTx!.length === 1,
      data: data!,
    })
  }

  /** The RLP fields, in encoding order. */
  raw(): Uint8Array[] {
    return [
      this.sourceHash,
      this.from.bytes,
      this.to?.bytes ?? EMPTY,
      bigIntToUnpaddedBytes(this.mint),
      bigIntToUnpaddedBytes(this.value),
      bigIntToUnpaddedBytes(this.gasLimit),
      this.isSystemTx ? TRUE : EMPTY,
      this.data,
    ]
  }

  /** 0x7E ‖ RLP(fields): the block-body and tx-trie encoding. */
  serialize(): Uint8Array {
    if (this.#serialized === undefined) {
      const body = RLP.encode(this.raw())
      const out = new Uint8Array(body.length + 1)
      out[0] = DEPOSIT_TX_TYPE
      out.set(body, 1)
      this.#serialized = out
    }
    return this.#serialized
  }

  /** keccak256 of {@link serialize}. */
  hash(): Uint8Array {
    if (this.#hash === undefined) this.#hash = keccak_256(this.serialize())
    return this.#hash
  }

  /** Only the EIP-2718 envelope capability: a deposit has no signature, fee market or access list. */
  supports(capability: Capability): boolean {
    return capability === Capability.EIP2718TypedTransaction
  }

  /** Deposits are never signed. */
  isSigned(): boolean {
    return false
  }

  /** The depositor (for calls that read a tx's sender without branching on the type). */
  getSenderAddress(): Address {
    return this.from
  }

  toJSON(): Record<string, string | boolean | undefined> {
    return {
      type: '0x7e',
      sourceHash: bytesToHex(this.sourceHash),
      from: this.from.toString(),
      to: this.to?.toString(),
      mint: `0x${this.mint.toString(16)}`,
      value: `0x${this.value.toString(16)}`,
      gas: `0x${this.gasLimit.toString(16)}`,
      isSystemTx: this.isSystemTx,
      input: bytesToHex(this.data),
    }
  }
}

/** True for a deposit transaction (type 0x7E) among a block's txs. */
export function isDepositTx(tx: unknown): tx is DepositTx {
  return tx instanceof DepositTx
}

function quantity(bytes: Uint8Array, maxBytes: number, name: string): bigint {
  if (bytes.length > maxBytes) throw malformed(`${name} exceeds ${maxBytes * 8} bits`)
  if (bytes.length > 0 && bytes[0] === 0) throw malformed(`${name} has leading zero bytes`)
  return bytesToBigInt(bytes)
}

function malformed(reason: string, cause?: unknown): OpenLedgerError {
  return new OpenLedgerError(L2_ERROR.MALFORMED_DEPOSIT, `malformed deposit transaction: ${reason}`, {}, { cause })
}
