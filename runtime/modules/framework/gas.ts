/**
 * Gas of module operations: the EVM opcode that does the same work, at Prague prices, so a module
 * function costs about what the equivalent Solidity costs (runtime/modules/README.md, "Gas").
 */
export const MODULE_GAS = {
  /** selector dispatch, ABI decode and the frame's bookkeeping (a Solidity dispatcher's ~20 ops) */
  dispatch: 100n,
  /** per 32-byte word of calldata read or return data written (CALLDATACOPY / RETURN memory) */
  copyWord: 3n,
  coldSload: 2100n,
  warmAccess: 100n,
  sstoreSet: 20000n,
  sstoreReset: 2900n,
  sstoreClearRefund: 4800n,
  /** EIP-2200: SSTORE fails when no more than this is left */
  sstoreSentry: 2300n,
  coldAccount: 2600n,
  callValue: 9000n,
  callStipend: 2300n,
  newAccount: 25000n,
  log: 375n,
  logTopic: 375n,
  logDataByte: 8n,
  keccak: 30n,
  keccakWord: 6n,
  ecrecover: 3000n,
} as const

/** 32-byte words needed for `length` bytes. */
export function words(length: number): bigint {
  return BigInt(Math.ceil(length / 32))
}

/** Thrown inside a module frame when it runs out of gas; the dispatcher turns it into an OOG halt. */
export class ModuleOutOfGas extends Error {
  constructor() {
    super('out of gas')
    this.name = 'ModuleOutOfGas'
  }
}

/** The gas a module frame has and has used. */
export class GasMeter {
  readonly limit: bigint
  used = 0n

  constructor(limit: bigint) {
    this.limit = limit
  }

  get left(): bigint {
    return this.limit - this.used
  }

  use(amount: bigint): void {
    this.used += amount
    if (this.used > this.limit) throw new ModuleOutOfGas()
  }
}
