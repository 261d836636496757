import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { parseAddressHex } from '../../params/parse.ts'
import { parseTypedData, typedDataDigest } from '../../signing/typedData.ts'
import { devAccount } from './devAccount.ts'

/** eth_signTypedData_v4 (--dev only): EIP-712 signature by a dev account. Params: [address, typedData (object or JSON string)]. */
export const signTypedDataV4: RpcMethod<'dev' | 'devAccounts'> = {
  name: 'eth_signTypedData_v4',
  minParams: 2,
  maxParams: 2,
  handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    const signer = devAccount(ctx, address)
    return toHex(signer.signDigest(address, typedDataDigest(parseTypedData(params[1]))))
  },
}
