import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { parseAddressHex, parseData } from '../../params/parse.ts'
import { devAccount } from './devAccount.ts'

/** eth_sign (--dev only): EIP-191 personal-message signature by a dev account. Example: ["0xf39f...", "0xdeadbeef"]. */
export const sign: RpcMethod<'dev' | 'devAccounts'> = {
  name: 'eth_sign',
  minParams: 2,
  maxParams: 2,
  handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    const message = parseData(params[1], 1)
    return toHex(devAccount(ctx, address).signMessage(address, message))
  },
}
