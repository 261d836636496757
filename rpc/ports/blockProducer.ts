/** Port: block production (evm_mine) and the clock of the next block. */
export interface BlockProducer {
  /** build one block now from the pool (evm_mine in --dev); undefined where this node does not produce blocks */
  readonly mineBlock: (() => Promise<void>) | undefined
  /**
   * The timestamp the next block will carry as far as this node can tell now: its sequencer's
   * block clock (with the --dev time controls), else max(head + 1, now). eth_estimateGas and
   * eth_sendTransaction estimate in that block's environment (see rpc/methods/eth/pendingBlock.ts).
   */
  nextBlockTimestamp(): bigint
}
