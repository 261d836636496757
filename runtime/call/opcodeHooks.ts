import type { EVM } from '@ethereumjs/evm'
import type { Address } from '@ethereumjs/util'

/** The slice of ethereumjs' interpreter run state that instrumented opcodes read. */
export type OpRunState = {
  opCode: number
  stack: { peek(n: number): bigint[]; push(value: bigint): void }
  memory: { read(offset: number, size: number): Uint8Array }
  env: { address: { bytes: Uint8Array } }
  stateManager: { getAccount(address: Address): Promise<{ balance: bigint } | undefined> }
}

/** An opcode handler of ethereumjs' per-EVM opcode table (async for the opcodes ethereumjs awaits). */
export type OpHandler = (runState: OpRunState, common: unknown) => unknown

/** A replacement handler built around the stock one. */
export type OpWrapper = (original: OpHandler) => OpHandler

/** One entry of ethereumjs' per-EVM opcode table (EVM._opcodeMap). */
type OpEntry = { opcodeInfo: unknown; opHandler: OpHandler; gasHandler?: unknown }

const LOG0 = 0xa0
const LOG4 = 0xa4

/**
 * Replace handlers of `evm`'s own opcode table (each EVM instance has its table, so only a private
 * EVM may be instrumented); opcodes the fork does not have are left alone. Returns the function
 * that puts the stock handlers back.
 *
 * @example
 * const restore = wrapOpcodes(runtime.vm.evm as EVM, logHooks((address, topics, data) => seen.push({ address, topics, data })))
 */
export function wrapOpcodes(evm: EVM, wrappers: ReadonlyMap<number, OpWrapper>): () => void {
  const table = (evm as unknown as { _opcodeMap?: OpEntry[] })._opcodeMap
  if (table === undefined) return () => {}
  const saved: [number, OpEntry][] = []
  for (const [code, wrap] of wrappers) {
    const entry = table[code]
    if (entry === undefined) continue
    saved.push([code, entry])
    table[code] = { ...entry, opHandler: wrap(entry.opHandler) }
  }
  return () => {
    for (const [code, entry] of saved) table[code] = entry
  }
}

/** Wrappers for LOG0..LOG4 that report each log after its opcode ran: emitter, topics, data. */
export function logHooks(onLog: (address: Uint8Array, topics: bigint[], data: Uint8Array) => void): Map<number, OpWrapper> {
  const hooks = new Map<number, OpWrapper>()
  for (let code = LOG0; code <= LOG4; code++) {
    hooks.set(code, (original) => (runState, common) => {
      const [offset, size, ...topics] = runState.stack.peek(2 + runState.opCode - LOG0)
      const out = original(runState, common)
      // the handler has read (and so extended) that memory range
      const data = size === 0n ? new Uint8Array(0) : runState.memory.read(Number(offset), Number(size))
      onLog(runState.env.address.bytes, topics, data)
      return out
    })
  }
  return hooks
}
