import type { TypedTransaction } from '@ethereumjs/tx'

/** Dev-mode signer over the node's dev accounts (only present with --dev). */
export interface DevSigner {
  /** dev account addresses, lowercase hex */
  accounts(): string[]
  /** EIP-191 personal message signature (65 bytes, v = 27/28) */
  signMessage(address: string, message: Uint8Array): Uint8Array
  /** EIP-712 signature of a 32-byte digest (65 bytes, v = 27/28) */
  signDigest(address: string, digest: Uint8Array): Uint8Array
  /** sign a fully populated transaction */
  signTransaction(address: string, tx: TypedTransaction): TypedTransaction
}

/** Port: the dev accounts (eth_accounts, eth_sign, eth_sendTransaction ... under --dev). */
export interface DevAccounts {
  /** dev signer, or undefined when not running --dev */
  readonly devSigner: DevSigner | undefined
}
