import type { DevSigner } from '../../ports/index.ts'
import type { RpcContextOf } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'

/** The dev signer and the account it must sign with; -32000 "unknown account" when not a dev account. */
export function devAccount(ctx: RpcContextOf<'dev' | 'devAccounts'>, address: string): DevSigner {
  const signer = ctx.devAccounts.devSigner
  if (!ctx.dev || signer === undefined) throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, 'dev accounts are only available with --dev')
  if (!signer.accounts().includes(address)) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'unknown account')
  return signer
}
