// Signed txs of every type the chain executes (legacy EIP-155, EIP-2930, EIP-1559, EIP-7702)
// for the integration suites, plus the Probe contract EIP-7702 authorities delegate to.
import type { Common } from '@ethereumjs/common'
import { createAccessList2930Tx, createEOACode7702Tx, createFeeMarket1559Tx, createLegacyTx } from '@ethereumjs/tx'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bigIntToHex, concatBytes, eoaCode7702SignAuthorization, hexToBytes, utf8ToBytes } from '@ethereumjs/util'
import type { Address } from '@ethereumjs/util'
import { keccak_256 as keccak256 } from '@noble/hashes/sha3.js'
import type { TestAccount } from '../../fixtures/chain/testSpec.ts'
import { PROBE } from '../../fixtures/contracts/contracts.ts'

const GWEI = 1_000_000_000n

/** Probe's creation code (no constructor arguments). */
export const PROBE_BYTECODE = hexToBytes(PROBE.bytecode)
/** Calldata of Probe.bump(): counter (slot 0) += 1, emits Bumped(counter, msg.sender). */
export const BUMP_DATA = keccak256(utf8ToBytes('bump()')).subarray(0, 4)
/** keccak256("Bumped(uint256,address)"): the topic of Probe's event. */
export const BUMPED_TOPIC = keccak256(utf8ToBytes('Bumped(uint256,address)'))

/** The code an EIP-7702 delegation leaves on the authority: 0xef0100 || target. */
export function delegationCode(target: Address): Uint8Array {
  return concatBytes(hexToBytes('0xef0100'), target.bytes)
}

/** Fields every helper takes; fees default to a 10 gwei cap and a 1 gwei tip (gasPrice 10 gwei). */
export type TxFields = { nonce: bigint; to?: Address | undefined; value?: bigint; data?: Uint8Array; gasLimit?: bigint; maxFee?: bigint; tip?: bigint }

/** A legacy tx with EIP-155 replay protection (v = chainId * 2 + 35/36): gasPrice = maxFee. */
export function signedLegacy(common: Common, from: TestAccount, f: TxFields): TypedTransaction {
  return createLegacyTx(
    { nonce: f.nonce, to: f.to, value: f.value ?? 0n, data: f.data ?? new Uint8Array(), gasLimit: f.gasLimit ?? 21_000n, gasPrice: f.maxFee ?? 10n * GWEI },
    { common },
  ).sign(from.key)
}

/** An EIP-2930 tx; the access list names `to` (and its slot 0) unless given. */
export function signed2930(
  common: Common,
  from: TestAccount,
  f: TxFields & { accessList?: { address: `0x${string}`; storageKeys: `0x${string}`[] }[] },
): TypedTransaction {
  const accessList =
    f.accessList ?? (f.to === undefined ? [] : [{ address: f.to.toString() as `0x${string}`, storageKeys: [`0x${'00'.repeat(32)}` as `0x${string}`] }])
  return createAccessList2930Tx(
    {
      chainId: common.chainId(),
      nonce: f.nonce,
      to: f.to,
      value: f.value ?? 0n,
      data: f.data ?? new Uint8Array(),
      gasLimit: f.gasLimit ?? 30_000n,
      gasPrice: f.maxFee ?? 10n * GWEI,
      accessList,
    },
    { common },
  ).sign(from.key)
}

/** An EIP-1559 tx. */
export function signed1559Tx(common: Common, from: TestAccount, f: TxFields): TypedTransaction {
  return createFeeMarket1559Tx(
    {
      chainId: common.chainId(),
      nonce: f.nonce,
      to: f.to,
      value: f.value ?? 0n,
      data: f.data ?? new Uint8Array(),
      gasLimit: f.gasLimit ?? 21_000n,
      maxFeePerGas: f.maxFee ?? 10n * GWEI,
      maxPriorityFeePerGas: f.tip ?? GWEI,
    },
    { common },
  ).sign(from.key)
}

/** One EIP-7702 authorization: `authority` (at `nonce`) delegates its code to `target`. */
export type Delegation = { authority: TestAccount; target: Address; nonce: bigint }

/** An EIP-7702 set-code tx carrying `delegations` (each signed by its authority for this chain). */
export function signed7702(common: Common, from: TestAccount, f: TxFields & { delegations: Delegation[] }): TypedTransaction {
  const authorizationList = f.delegations.map((d) =>
    eoaCode7702SignAuthorization({ chainId: bigIntToHex(common.chainId()), address: d.target.toString(), nonce: bigIntToHex(d.nonce) }, d.authority.key),
  )
  return createEOACode7702Tx(
    {
      chainId: common.chainId(),
      nonce: f.nonce,
      to: f.to,
      value: f.value ?? 0n,
      data: f.data ?? new Uint8Array(),
      gasLimit: f.gasLimit ?? 200_000n,
      maxFeePerGas: f.maxFee ?? 10n * GWEI,
      maxPriorityFeePerGas: f.tip ?? GWEI,
      authorizationList,
    },
    { common },
  ).sign(from.key)
}

/** A tx of `type` (0, 1, 2) with the same fields: for workloads that mix envelopes. */
export function signedOfType(type: 0 | 1 | 2, common: Common, from: TestAccount, f: TxFields): TypedTransaction {
  if (type === 0) return signedLegacy(common, from, f)
  if (type === 1) return signed2930(common, from, { ...f, gasLimit: f.gasLimit === undefined ? undefined : f.gasLimit + 5_000n })
  return signed1559Tx(common, from, f)
}
