import type { RpcMethod } from '../../types.ts'
import { invalidParams } from '../../errors.ts'
import { badArg, jsonKind, parseAddressHex, parseStorageKey } from '../../params/parse.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

/** Most storage keys one eth_getProof may ask for (geth's maxGetProofKeys). */
const MAX_PROOF_KEYS = 1024

/**
 * eth_getProof: EIP-1186 account and storage Merkle proofs at a block. Each storage proof's `key`
 * echoes the request's key as geth does: 32-byte keys as given (lowercased), shorter ones as a
 * quantity. Example: ["0x5FbD...", ["0x0"], "latest"] -> { ..., storageProof: [{ key: "0x0", ... }] }.
 */
export const getProof: RpcMethod<'blocks' | 'state'> = {
  name: 'eth_getProof',
  minParams: 2,
  maxParams: 3,
  async handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    const raw = params[1]
    if (!Array.isArray(raw)) throw badArg(1, `json: cannot unmarshal ${jsonKind(raw)} into Go value of type []string`)
    if (raw.length > MAX_PROOF_KEYS) throw invalidParams(`too many storage keys requested (max ${MAX_PROOF_KEYS}, got ${raw.length})`)
    const keys = raw.map((k) => parseStorageKey(k, 1))
    const n = await resolveStateBlock(ctx.blocks, parseBlockParam(params[2], 2))
    const proof = await ctx.state.getProof(
      address,
      keys.map((k) => k.slot),
      n,
    )
    return { ...proof, storageProof: proof.storageProof.map((p, i) => ({ ...p, key: keys[i]!.echo })) }
  },
}
