import { keccak_256 } from '@noble/hashes/sha3.js'
import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { parseData } from '../../params/parse.ts'

/** web3_sha3: keccak-256 of the given data. Example: ["0x68656c6c6f"] -> "0x1c8a...36b8". */
export const sha3: RpcMethod<never> = {
  name: 'web3_sha3',
  minParams: 1,
  maxParams: 1,
  handler: (_ctx, params) => toHex(keccak_256(parseData(params[0], 0))),
}
