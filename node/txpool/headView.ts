import { Address } from '@ethereumjs/util'
import type { Block } from '@ethereumjs/block'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { calcNextBaseFee } from '../../runtime/index.ts'
import type { Chain } from '../chain/index.ts'

/** The part of an account the pool validates against. */
export type AccountView = { nonce: bigint; balance: bigint }

/**
 * What the pool knows about one chain head: the block, the base fee of the next block, and a
 * per-head cache of sender accounts read from the head's post-state. The state view is opened
 * once per head (lazily), never per tx.
 */
export class HeadView {
  readonly block: Block
  /** base fee the next block will have */
  readonly nextBaseFee: bigint
  readonly gasLimit: bigint
  private readonly chain: Chain
  private state: Promise<MerkleStateManager> | undefined
  private readonly accounts = new Map<string, AccountView>()

  constructor(chain: Chain, block: Block) {
    this.chain = chain
    this.block = block
    this.gasLimit = block.header.gasLimit
    // the chain's own base-fee rule (spec parameters), not ethereumjs's header defaults
    this.nextBaseFee = calcNextBaseFee(block.header, chain.nextBlockParams().baseFee)
  }

  /** The account of `address` (key = its lowercase hex) at this head; cached. */
  async account(address: Uint8Array, key: string): Promise<AccountView> {
    const hit = this.accounts.get(key)
    if (hit !== undefined) return hit
    this.state ??= this.chain.stateAt(this.block.header.number)
    let state: MerkleStateManager
    try {
      state = await this.state
    } catch (err) {
      // let the next call retry instead of caching the failure
      this.state = undefined
      throw err
    }
    const account = await state.getAccount(new Address(address))
    const view: AccountView = { nonce: account?.nonce ?? 0n, balance: account?.balance ?? 0n }
    this.accounts.set(key, view)
    return view
  }
}
