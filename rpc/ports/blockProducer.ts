/** Port: on-demand block production (evm_mine). */
export interface BlockProducer {
  /** build one block now from the pool (evm_mine in --dev); undefined where this node does not produce blocks */
  readonly mineBlock: (() => Promise<void>) | undefined
}
