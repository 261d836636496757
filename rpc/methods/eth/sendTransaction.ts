import { createTx } from '@ethereumjs/tx'
import type { TypedTransaction, TypedTxData } from '@ethereumjs/tx'
import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { RPC_ERROR, RpcError, invalidParams } from '../../errors.ts'
import { checkChainId, parseCallRequest } from '../../params/callRequest.ts'
import { estimateGasFor } from './estimateGas.ts'
import { devAccount } from './devAccount.ts'
import { fillTxFees } from './fillTxFees.ts'

/**
 * eth_sendTransaction (--dev only): fill fees (geth's defaults: tip from the oracle, maxFee =
 * 2 * baseFee + tip), nonce and gas (exact estimate), check the chain id, sign with the dev
 * account and submit. Fee and chain-id mistakes answer -32000 in geth's words.
 * Example: [{ "from": "0xf39f...", "to": "0x7099...", "value": "0xde0b6b3a7640000" }].
 */
export const sendTransaction: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'dev' | 'devAccounts' | 'limits' | 'state' | 'txs'> = {
  name: 'eth_sendTransaction',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const req = parseCallRequest(params[0], 0)
    if (req.from === undefined) throw invalidParams('invalid argument 0: missing "from"')
    const from = toHex(req.from)
    const signer = devAccount(ctx, from)
    // geth's setDefaults order: fees, nonce, creation check, gas, chain id
    const fees = await fillTxFees(ctx.blocks, req)
    const nonce = req.nonce ?? (await ctx.txs.pendingNonce(from))
    if (req.to === undefined && (req.data === undefined || req.data.length === 0)) {
      throw new RpcError(RPC_ERROR.INVALID_INPUT, 'contract creation without any data provided')
    }
    const gas = req.gas ?? (await estimateGasFor(ctx, { ...req, ...fees, nonce }, { at: ctx.blocks.head().header.number, gasCap: ctx.limits.gasCap }))
    checkChainId(req, ctx.chainInfo.chainId)
    const accessList = req.accessList?.map((e) => [e.address, e.storageKeys] as [Uint8Array, Uint8Array[]])
    const data: TypedTxData = {
      nonce,
      gasLimit: gas,
      to: req.to,
      value: req.value ?? 0n,
      data: req.data ?? new Uint8Array(0),
    }
    if ('gasPrice' in fees) Object.assign(data, { type: accessList === undefined ? 0 : 1, gasPrice: fees.gasPrice, accessList })
    else Object.assign(data, { type: 2, ...fees, accessList: accessList ?? [] })
    let tx: TypedTransaction
    try {
      tx = createTx(data, { common: ctx.chainInfo.common })
    } catch (cause) {
      // ethereumjs' own field checks (e.g. gas * fee cap above 2^256): a user error, not a crash
      throw new RpcError(RPC_ERROR.INVALID_INPUT, 'invalid transaction fields', {}, { cause })
    }
    return toHex(await ctx.txs.sendTransaction(signer.signTransaction(from, tx)))
  },
}
