/**
 * Jump-destination analysis cached per contract code.
 *
 * @ethereumjs/evm analyses a contract's code on every call that jumps: the interpreter walks the
 * whole code and builds the valid-JUMPDEST bitmap, a bigint for every PUSH immediate and the
 * opcode entry of every byte (Interpreter._getValidJumpDestinations, run once per message). For
 * a 1,230-byte token that is 1,230 array slots and ~150 bigints per transfer, ~3.5% of an
 * ERC-20 block build plus the garbage. The result is a pure function of the code bytes and the
 * active opcode table, and the interpreter only reads it, so it is kept per code object (the
 * state manager hands out the same Uint8Array for the same cached code) and per opcode table.
 *
 * The Interpreter class is not exported by @ethereumjs/evm, so the hook goes on its prototype,
 * reached through the module next to the package entry the EVM itself loads (same URL, same
 * module instance). If that module or method is not there (another @ethereumjs/evm version),
 * nothing is installed and the EVM analyses as before.
 */

type Analysis = { jumps: Uint8Array; pushes: Record<number, bigint>; opcodesCached: unknown[] }
type InterpreterLike = {
  _evm: { _opcodeMap?: object; common: { isActivatedEIP(eip: number): boolean } }
  _getValidJumpDestinations(code: Uint8Array): Analysis
}

// EIP-8024 changes which bytes the analysis skips: part of the cache key with the opcode table
const EIP_8024 = 8024

let installed: Promise<boolean> | undefined

/**
 * Install the cache once per process (idempotent). Resolves to whether it is active.
 *
 * @example
 * await installJumpAnalysisCache()
 */
export function installJumpAnalysisCache(): Promise<boolean> {
  installed ??= install()
  return installed
}

async function install(): Promise<boolean> {
  let proto: InterpreterLike | undefined
  try {
    const entry = import.meta.resolve('@ethereumjs/evm')
    const url = entry.replace(/index\.(js|ts)$/, 'interpreter.$1')
    if (url === entry) return false
    const mod = (await import(url)) as { Interpreter?: { prototype: InterpreterLike } }
    proto = mod.Interpreter?.prototype
  } catch {
    return false
  }
  if (proto === undefined || typeof proto._getValidJumpDestinations !== 'function') return false
  const analyse = proto._getValidJumpDestinations
  // opcode table -> [without EIP-8024, with EIP-8024] -> code -> analysis
  const byTable = new WeakMap<object, [WeakMap<Uint8Array, Analysis>, WeakMap<Uint8Array, Analysis>]>()
  proto._getValidJumpDestinations = function cachedJumpDestinations(this: InterpreterLike, code: Uint8Array): Analysis {
    const table = this._evm._opcodeMap
    if (table === undefined) return analyse.call(this, code)
    let caches = byTable.get(table)
    if (caches === undefined) {
      caches = [new WeakMap(), new WeakMap()]
      byTable.set(table, caches)
    }
    const cache = caches[this._evm.common.isActivatedEIP(EIP_8024) ? 1 : 0]
    let analysis = cache.get(code)
    if (analysis === undefined) {
      analysis = analyse.call(this, code)
      cache.set(code, analysis)
    }
    return analysis
  }
  return true
}
