import type { CallRequest, DevSigner } from '../../ports/index.ts'
import type { RpcContextOf } from '../../types.ts'
import { invalidParams, RPC_ERROR, RpcError } from '../../errors.ts'
import { toHex } from '../../hex.ts'
import { parseCallRequest } from '../../params/callRequest.ts'

/** The dev signer and the account it must sign with; -32000 "unknown account" when not a dev account. */
export function devAccount(ctx: RpcContextOf<'dev' | 'devAccounts'>, address: string): DevSigner {
  const signer = ctx.devAccounts.devSigner
  if (!ctx.dev || signer === undefined) throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, 'dev accounts are only available with --dev')
  if (!signer.accounts().includes(address)) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'unknown account')
  return signer
}

/** A tx request a dev account signs (eth_sendTransaction, eth_signTransaction): `from` is required. */
export function devTxRequest(ctx: RpcContextOf<'dev' | 'devAccounts'>, param: unknown): { req: CallRequest; from: string; signer: DevSigner } {
  const req = parseCallRequest(param, 0)
  if (req.from === undefined) throw invalidParams('invalid argument 0: missing "from"')
  const from = toHex(req.from)
  return { req, from, signer: devAccount(ctx, from) }
}
