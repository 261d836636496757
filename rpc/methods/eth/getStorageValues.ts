import type { RpcMethod } from '../../types.ts'
import { invalidParams, RPC_ERROR, RpcError } from '../../errors.ts'
import { padLeft, toHex } from '../../hex.ts'
import { parseAddressHex, parseObject, parseStorageKey } from '../../params/parse.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

/** Most slots one request may read, over all accounts (geth's maxGetStorageSlots). */
const MAX_SLOTS = 1024

/**
 * eth_getStorageValues: many storage words of many accounts at one block (execution-apis
 * state.yaml; geth's GetStorageValues): { address: [slot, ...] } -> { address: [32-byte word, ...] },
 * addresses lowercase. More than 1024 slots is -32005, none at all -32602 "empty request".
 * Example: [{ "0x5FbD...": ["0x0", "0x1"] }, "latest"] -> { "0x5fbd...": ["0x00...2a", "0x00...00"] }.
 */
export const getStorageValues: RpcMethod<'blocks' | 'state'> = {
  name: 'eth_getStorageValues',
  minParams: 1,
  maxParams: 2,
  async handler(ctx, params) {
    const requests = Object.entries(parseObject(params[0], 0, 'map[common.Address][]common.Hash')).map(([address, keys]) => {
      if (!Array.isArray(keys)) throw invalidParams('invalid argument 0: storage keys must be an array')
      return { address: parseAddressHex(address, 0), slots: keys.map((k) => parseStorageKey(k, 0).slot) }
    })
    const total = requests.reduce((n, r) => n + r.slots.length, 0)
    if (total > MAX_SLOTS) throw new RpcError(RPC_ERROR.LIMIT_EXCEEDED, `too many slots (max ${MAX_SLOTS})`)
    if (total === 0) throw invalidParams('empty request')
    const at = await resolveStateBlock(ctx.blocks, parseBlockParam(params[1], 1))
    const out: Record<string, string[]> = {}
    for (const { address, slots } of requests) {
      const words = await Promise.all(slots.map((slot) => ctx.state.getStorageAt(address, slot, at)))
      out[address] = words.map((w) => toHex(padLeft(w, 32)))
    }
    return out
  },
}
