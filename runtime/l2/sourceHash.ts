import { setLengthLeft, bigIntToBytes, concatBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'

/** sourceHash domains of the OP deposit spec (deposits.md, "Source hash computation"). */
export const SOURCE_DOMAIN = { userDeposit: 0n, l1Info: 1n, upgrade: 2n } as const

const word = (n: bigint): Uint8Array => setLengthLeft(bigIntToBytes(n), 32)

function domainHash(domain: bigint, inner: Uint8Array): Uint8Array {
  return keccak_256(concatBytes(word(domain), keccak_256(inner)))
}

/**
 * sourceHash of a user deposit: keccak256(uint256(0) ‖ keccak256(l1BlockHash ‖ uint256(logIndex))),
 * `logIndex` being the TransactionDeposited log's index among all logs of its L1 block.
 */
export function userDepositSourceHash(l1BlockHash: Uint8Array, logIndex: bigint): Uint8Array {
  return domainHash(SOURCE_DOMAIN.userDeposit, concatBytes(l1BlockHash, word(logIndex)))
}

/**
 * sourceHash of the L1-info deposit: keccak256(uint256(1) ‖ keccak256(l1BlockHash ‖
 * uint256(sequenceNumber))), `sequenceNumber` being the L2 block's position in its epoch.
 */
export function l1InfoSourceHash(l1BlockHash: Uint8Array, sequenceNumber: bigint): Uint8Array {
  return domainHash(SOURCE_DOMAIN.l1Info, concatBytes(l1BlockHash, word(sequenceNumber)))
}
