import { bigIntToBytes, bytesToBigInt, setLengthLeft } from '@ethereumjs/util'
import type { Hex } from '../../../genesis/index.ts'
import type { ModuleContext } from './types.ts'

/** A storage word from an address (left-padded, as Solidity stores it). */
export function addressWord(address: Hex): bigint {
  return BigInt(address)
}

/** The lowercase address held in the low 160 bits of a word. */
export function wordAddress(word: bigint): Hex {
  return `0x${(word & ((1n << 160n) - 1n)).toString(16).padStart(40, '0')}`
}

/**
 * Solidity's mapping slot: keccak256(pad32(key) ++ pad32(base)), nested for several keys
 * (mapping(a => mapping(b => ...)) at `base`), each hash charged as the KECCAK256 opcode.
 */
export function mappingSlot(ctx: Pick<ModuleContext, 'keccak'>, base: bigint, ...keys: bigint[]): bigint {
  let slot = base
  for (const key of keys) {
    const preimage = new Uint8Array(64)
    preimage.set(setLengthLeft(bigIntToBytes(key), 32), 0)
    preimage.set(setLengthLeft(bigIntToBytes(slot), 32), 32)
    slot = bytesToBigInt(ctx.keccak(preimage))
  }
  return slot
}

/** Solidity's dynamic-array data slot: keccak256(pad32(slot)). */
export function arraySlot(ctx: Pick<ModuleContext, 'keccak'>, slot: bigint): bigint {
  return bytesToBigInt(ctx.keccak(setLengthLeft(bigIntToBytes(slot), 32)))
}
