import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { parseCallRequest } from '../../params/callRequest.ts'
import { buildTx, txResult } from './buildTx.ts'

const ZERO_ADDRESS = new Uint8Array(20)

/**
 * eth_fillTransaction (execution-apis fill.yaml; geth's FillTransaction): the unsigned tx a
 * request describes with every default filled (fees, nonce of `from` or the zero address, gas),
 * as { raw, tx }. Example: [{ "from": "0xf39f...", "to": "0x7099..." }] -> { raw: "0x02f0...", tx: { type: "0x2", ... } }.
 */
export const fillTransaction: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'limits' | 'producer' | 'state' | 'txs'> = {
  name: 'eth_fillTransaction',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const req = parseCallRequest(params[0], 0)
    const from = req.from ?? ZERO_ADDRESS
    return txResult(await buildTx(ctx, req, toHex(from)), from)
  },
}
