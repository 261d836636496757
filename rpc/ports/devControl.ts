/**
 * The time, snapshot and balance controls of a --dev sequencer, as anvil and Hardhat serve them
 * (evm_increaseTime, evm_setNextBlockTimestamp, evm_snapshot, evm_revert, anvil_setBalance).
 */
export interface DevControls {
  /** add `seconds` to the offset of the next blocks' timestamps; returns the total offset, seconds */
  increaseTime(seconds: bigint): bigint
  /** the next block gets exactly `timestamp` (above the head's, else a coded invalid-params error) */
  setNextBlockTimestamp(timestamp: bigint): void
  /** remember the head and the clock; returns the snapshot id (1, 2, ...) */
  snapshot(): Promise<bigint>
  /** go back to snapshot `id` (dropping it and every later one); false for an unknown id */
  revert(id: bigint): Promise<boolean>
  /** set an account's balance, visible at "latest" when this resolves and durable */
  setBalance(address: Uint8Array, balance: bigint): Promise<void>
}

/** Port: the --dev controls (time travel, snapshots, balances). */
export interface DevControl {
  /** undefined where this node is not a --dev sequencer (the methods answer -32601) */
  readonly devControls: DevControls | undefined
}
