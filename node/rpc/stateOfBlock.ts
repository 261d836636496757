import type { Block } from '@ethereumjs/block'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { RPC_ERROR, RpcError, toHex } from '../../rpc/index.ts'
import type { StateAt } from '../../rpc/index.ts'
import type { Chain } from '../chain/index.ts'

/**
 * A private state view at `block`'s own state root. chain.stateAt knows canonical numbers only;
 * a block off the canonical chain (EIP-1898 hash with requireCanonical false) is opened by its
 * header's state root on the same node store, so the answer is that block's state and not the
 * canonical block's at the same height. A root whose nodes are not stored answers -32000.
 */
export async function stateOfBlock(chain: Chain, block: Block): Promise<MerkleStateManager> {
  const sm = await chain.stateAt(chain.head().header.number)
  const root = block.header.stateRoot
  if (!(await sm.hasStateRoot(root))) {
    throw new RpcError(RPC_ERROR.INVALID_INPUT, `state ${toHex(root)} of block ${toHex(block.hash())} is not available`)
  }
  await sm.setStateRoot(root)
  return sm
}

/** The state view a read at `at` sees: chain.stateAt for canonical numbers, the block's own root otherwise. */
export function stateAt(chain: Chain, at: StateAt): Promise<MerkleStateManager> {
  return typeof at === 'bigint' ? chain.stateAt(at) : stateOfBlock(chain, at)
}
