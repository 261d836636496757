import type { StateAt } from '../../runtime/index.ts'

/** The post-state a read sees (runtime/call's StateAt: a canonical number, or an EIP-1898 block off the canonical chain). */
export type { StateAt } from '../../runtime/index.ts'

/** Account fields at some block. */
export type RpcAccount = { nonce: bigint; balance: bigint; codeHash: Uint8Array; storageRoot: Uint8Array }

/** EIP-1186 proof, all values already 0x-hex as the RPC returns them. */
export type RpcAccountProof = {
  address: string
  accountProof: string[]
  balance: string
  codeHash: string
  nonce: string
  storageHash: string
  /** one per requested slot, in request order; `key` is the 32-byte slot (the RPC layer echoes the request's form) */
  storageProof: { key: string; value: string; proof: string[] }[]
}

/**
 * Port: archive state reads (reth's EthState role). Block params are already resolved from
 * EIP-1898 form by the RPC layer ({@link StateAt}); addresses are lowercase 0x-prefixed 40-hex
 * strings (already validated), which lets the implementation key a head-state cache on them
 * without re-encoding.
 */
export interface StateReader {
  /** account at a block; undefined when it does not exist. Hot path (eth_getBalance). */
  getAccount(address: string, at: StateAt): Promise<RpcAccount | undefined> | RpcAccount | undefined
  getCode(address: string, at: StateAt): Promise<Uint8Array>
  /** 32-byte storage value (left-padded) */
  getStorageAt(address: string, slot: Uint8Array, at: StateAt): Promise<Uint8Array>
  getProof(address: string, slots: Uint8Array[], at: StateAt): Promise<RpcAccountProof>
}
