import { hexToBytes } from '@ethereumjs/util'
import { TypedData } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import { MODULE_GAS, words } from '../framework/gas.ts'
import { HALF_N } from '../framework/moduleFrame.ts'
import type { ModuleContext } from '../framework/types.ts'

/** An EIP-712 message to verify: its domain, types (EIP712Domain is derived from the domain) and values. */
export type TypedDataRequest = {
  domain: TypedData.Domain
  types: Record<string, readonly TypedData.Parameter[]>
  primaryType: string
  message: Record<string, unknown>
}

const keccakGas = (bytes: number): bigint => MODULE_GAS.keccak + MODULE_GAS.keccakWord * words(bytes)

/**
 * The signer of an EIP-712 message, as OpenZeppelin 5's `ECDSA.recover(_hashTypedDataV4(...))`
 * finds it: a high s reverts ECDSAInvalidSignatureS(s) before any recovery, an unrecoverable
 * signature (bad v, r or s) ECDSAInvalidSignature(); the calling module's ABI declares both.
 * Gas: KECCAK256 of the struct encoding (typehash + one word per field: the primary types here
 * have static fields only) and of the 66-byte payload (OZ caches the domain separator), then
 * ecrecover's 3,000.
 */
export function typedDataSigner(ctx: ModuleContext, request: TypedDataRequest, v: number, r: Hex, s: Hex): Hex {
  if (BigInt(s) > HALF_N) ctx.revert('ECDSAInvalidSignatureS', [s])
  const fields = request.types[request.primaryType]?.length ?? 0
  ctx.useGas(keccakGas(32 * (fields + 1)) + keccakGas(66))
  const digest = TypedData.getSignPayload(request as never)
  return ctx.ecrecover(hexToBytes(digest), v, BigInt(r), BigInt(s)) ?? ctx.revert('ECDSAInvalidSignature')
}
