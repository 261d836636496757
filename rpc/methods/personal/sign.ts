import type { RpcMethod } from '../../types.ts'
import { hasHexPrefix, isHexBody, toHex } from '../../hex.ts'
import { parseAddressHex, parseData } from '../../params/parse.ts'
import { devAccount } from '../eth/devAccount.ts'

/**
 * personal_sign (--dev only): EIP-191 signature of (message, address). Hex messages are signed as
 * bytes; other strings as UTF-8 (as MetaMask does). Example: ["0x68656c6c6f", "0xf39f..."].
 */
export const sign: RpcMethod<'dev' | 'devAccounts'> = {
  name: 'personal_sign',
  minParams: 2,
  maxParams: 3,
  handler(ctx, params) {
    const raw = params[0]
    const message = typeof raw === 'string' && !(hasHexPrefix(raw) && isHexBody(raw)) ? new TextEncoder().encode(raw) : parseData(raw, 0)
    const address = parseAddressHex(params[1], 1)
    return toHex(devAccount(ctx, address).signMessage(address, message))
  },
}
