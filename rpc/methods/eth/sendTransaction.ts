import { createTx } from '@ethereumjs/tx'
import type { TypedTxData } from '@ethereumjs/tx'
import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { invalidParams } from '../../errors.ts'
import { parseCallRequest } from '../../params/callRequest.ts'
import { estimateGasFor } from './estimateGas.ts'
import { devAccount } from './devAccount.ts'
import { suggestTip } from './feeOracle.ts'

/**
 * eth_sendTransaction (--dev only): fill nonce, gas (exact estimate) and fees (tip from the
 * oracle, maxFee = 2 * baseFee + tip as geth), sign with the dev account and submit.
 * Example: [{ "from": "0xf39f...", "to": "0x7099...", "value": "0xde0b6b3a7640000" }].
 */
export const sendTransaction: RpcMethod = {
  name: 'eth_sendTransaction',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const req = parseCallRequest(params[0], 0)
    if (req.from === undefined) throw invalidParams('invalid argument 0: missing "from"')
    const from = toHex(req.from)
    const signer = devAccount(ctx, from)
    const backend = ctx.backend
    const head = backend.head()
    const nonce = req.nonce ?? (await backend.pendingNonce(from))
    const legacy = req.gasPrice !== undefined
    const data: TypedTxData = {
      nonce,
      to: req.to,
      value: req.value ?? 0n,
      data: req.data ?? new Uint8Array(0),
    }
    const accessList = req.accessList?.map((e) => [e.address, e.storageKeys] as [Uint8Array, Uint8Array[]])
    if (legacy) {
      Object.assign(data, { type: accessList === undefined ? 0 : 1, gasPrice: req.gasPrice, accessList })
    } else {
      const tip = req.maxPriorityFeePerGas ?? (await suggestTip(backend))
      const baseFee = head.header.baseFeePerGas ?? 0n
      const maxFee = req.maxFeePerGas ?? 2n * baseFee + tip
      Object.assign(data, { type: 2, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee, accessList: accessList ?? [] })
    }
    const gas =
      req.gas ??
      (await estimateGasFor(ctx, { ...req, nonce }, { at: head.header.number, gasCap: ctx.limits.gasCap }))
    data.gasLimit = gas
    const tx = createTx(data, { common: backend.common })
    return toHex(await backend.sendTransaction(signer.signTransaction(from, tx)))
  },
}
