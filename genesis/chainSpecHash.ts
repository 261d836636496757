import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import type { ChainSpec, Hex } from './types.ts'
import { serializeChainSpec } from './serializeChainSpec.ts'

/**
 * A stable identity of a chain: keccak-256 of the canonical JSON of every field that shapes the
 * genesis block or the consensus rules. `name` and `blockTime` are left out: renaming a chain or
 * changing the block cadence (--block.time) does not make it another chain. A datadir records
 * this hash at `init` and refuses to open with a spec whose hash differs.
 *
 * @example
 * chainSpecHash(loadChainSpec('devnet')) // '0x…' (32 bytes)
 */
export function chainSpecHash(spec: ChainSpec): Hex {
  const { name: _name, blockTime: _blockTime, ...consensus } = serializeChainSpec(spec)
  return `0x${bytesToHex(keccak_256(new TextEncoder().encode(JSON.stringify(consensus))))}`
}
