import type { RpcMethod } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { buildTx, txResult } from './buildTx.ts'
import { devTxRequest } from './devAccount.ts'

/**
 * eth_signTransaction (--dev only; geth's SignTransaction): sign, without sending, a tx whose gas,
 * fees and nonce the request gives (geth refuses to guess them here), as { raw, tx }.
 * Example: [{ "from": "0xf39f...", "to": "0x7099...", "gas": "0x5208", "gasPrice": "0x3b9aca00", "nonce": "0x0" }].
 */
export const signTransaction: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'dev' | 'devAccounts' | 'limits' | 'producer' | 'state' | 'txs'> = {
  name: 'eth_signTransaction',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const { req, from, signer } = devTxRequest(ctx, params[0])
    const missing = (message: string): RpcError => new RpcError(RPC_ERROR.INVALID_INPUT, message)
    if (req.gas === undefined) throw missing('gas not specified')
    if (req.gasPrice === undefined && (req.maxPriorityFeePerGas === undefined || req.maxFeePerGas === undefined)) {
      throw missing('missing gasPrice or maxFeePerGas/maxPriorityFeePerGas')
    }
    if (req.nonce === undefined) throw missing('nonce not specified')
    return txResult(signer.signTransaction(from, await buildTx(ctx, req, from)), req.from!)
  },
}
