import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { buildTx } from './buildTx.ts'
import { devTxRequest } from './devAccount.ts'

/**
 * eth_sendTransaction (--dev only): fill fees, nonce and gas with geth's defaults (buildTx), sign
 * with the dev account and submit. Fee and chain-id mistakes answer -32000 in geth's words.
 * Example: [{ "from": "0xf39f...", "to": "0x7099...", "value": "0xde0b6b3a7640000" }].
 */
export const sendTransaction: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'dev' | 'devAccounts' | 'limits' | 'producer' | 'state' | 'txs'> = {
  name: 'eth_sendTransaction',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const { req, from, signer } = devTxRequest(ctx, params[0])
    const tx = await buildTx(ctx, req, from)
    return toHex(await ctx.txs.sendTransaction(signer.signTransaction(from, tx)))
  },
}
