import type { ChainSpec, Hex } from '../../../genesis/index.ts'

/** What a module function sees of the EVM frame that called it (Solidity's msg / block / tx). */
export type ModuleEnv = {
  /** the module's own address (lowercase) */
  readonly self: Hex
  /** msg.sender (lowercase) */
  readonly caller: Hex
  /** tx.origin (lowercase) */
  readonly origin: Hex
  /** msg.value, wei */
  readonly value: bigint
  /** msg.data: the whole calldata, selector included (OZ's onlyGovernance hashes it) */
  readonly calldata: Uint8Array
  /** true inside a STATICCALL (or below one) */
  readonly isStatic: boolean
  /** call depth of this frame (0 = the tx called the module directly) */
  readonly depth: number
  /** block.timestamp, seconds: the modules' only clock */
  readonly timestamp: bigint
  readonly blockNumber: bigint
  readonly chainId: bigint
}

/** Outcome of a call a module makes (a native OPEN transfer or a governance action). */
export type ModuleCallResult = { success: boolean; returnData: Uint8Array }

/**
 * The API a module function runs against: its frame, metered storage of its own account, events,
 * nested calls and typed reverts. Every method charges gas as the equivalent EVM opcodes do
 * (see runtime/modules/README.md, "Gas"); running out halts the frame like an EVM out-of-gas.
 */
export type ModuleContext = ModuleEnv & {
  /** SLOAD of the module's own storage (EIP-2929 cold 2,100 / warm 100) */
  sload(slot: bigint): Promise<bigint>
  /** SSTORE of the module's own storage (EIP-2200 / 2929 / 3529 cost and refunds, 2,300 sentry) */
  sstore(slot: bigint, value: bigint): Promise<void>
  /**
   * Metered storage of another runtime module (module-to-module state, e.g. vesting moving
   * GOPEN voting units): same costs and static rule as sload / sstore.
   */
  storageOf(module: Hex): ModuleStorage
  /** BALANCE of any account (cold 2,600 / warm 100) */
  balanceOf(address: Hex): Promise<bigint>
  /** LOG<n> an event of the module's ABI: args by parameter name */
  emit(event: string, args: Record<string, unknown>): void
  /**
   * LOG<n> at another runtime module's address (human-readable event signature): for effects one
   * module has on another's state, e.g. GOPEN's DelegateVotesChanged when vesting moves locked votes.
   */
  emitFrom(module: Hex, event: string, args: Record<string, unknown>): void
  /**
   * CALL from the module (value in wei, all but 1/64 of the remaining gas, as Solidity's
   * low-level call): the callee runs as a normal EVM frame one level deeper; its logs join ours.
   */
  call(to: Hex, value: bigint, data: Uint8Array): Promise<ModuleCallResult>
  /** STATICCALL from the module (reads another contract or module; no value, no writes below) */
  staticcall(to: Hex, data: Uint8Array): Promise<ModuleCallResult>
  /** keccak-256 with the KECCAK256 opcode's cost */
  keccak(data: Uint8Array): Uint8Array
  /** ecrecover with the precompile's cost (3,000); undefined for an invalid signature */
  ecrecover(digest: Uint8Array, v: number, r: bigint, s: bigint): Hex | undefined
  /** charge gas for computation the API does not meter itself */
  useGas(amount: bigint): void
  /** revert with a custom error of the module's ABI (args in order) */
  revert(error: string, args?: readonly unknown[]): never
  /** revert with Error(string) */
  revertWith(message: string): never
  /**
   * revert with raw return data: a callee's revert bubbled up unchanged (Solidity's
   * `revert(add(data, 32), mload(data))`, as OZ's Address.verifyCallResult does), or a Panic
   */
  revertRaw(data: Uint8Array): never
}

/** Metered storage of one module account. */
export type ModuleStorage = {
  sload(slot: bigint): Promise<bigint>
  sstore(slot: bigint, value: bigint): Promise<void>
}

/** A module account's genesis balance and storage words. */
export type ModuleGenesis = { balance: bigint; storage: ReadonlyArray<readonly [bigint, bigint]> }

/** One ABI function and its implementation; `args` are ox-decoded values in parameter order. */
export type ModuleFunction = {
  /** human-readable ABI: 'function transfer(address to, uint256 amount) returns (bool)' */
  readonly abi: string | readonly string[]
  readonly handler: (ctx: ModuleContext, args: readonly unknown[]) => Promise<unknown>
}

/** A native runtime module, reached as a precompile at a fixed address with a Solidity ABI. */
export type RuntimeModuleDefinition = {
  /** short name: 'vesting', 'gopen', ... */
  readonly name: string
  readonly address: Hex
  /** semantic version of the module's ABI and behaviour */
  readonly version: string
  /** the Solidity interface it implements (runtime/modules/<name>/<interface>.sol) */
  readonly interfaceName: string
  readonly functions: readonly ModuleFunction[]
  /** human-readable events: 'event Released(address indexed beneficiary, uint256 amount)' */
  readonly events: readonly string[]
  /** human-readable custom errors: 'error NotRevocable(uint256 id)' */
  readonly errors: readonly string[]
  /** extra ERC-165 ids `supportsInterface` answers true for (e.g. OpenZeppelin's IGovernor id) */
  readonly supportedInterfaces?: readonly Hex[]
  /** the module account's genesis balance and storage (slot -> value); nonce 1 and code are added */
  readonly genesis?: (spec: ChainSpec) => ModuleGenesis
  /** plain value transfers (empty calldata); absent: they revert like a contract without receive() */
  readonly receive?: (ctx: ModuleContext) => Promise<void>
}
