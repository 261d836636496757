import { AbiError, AbiEvent, AbiFunction } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import type { ModuleFunction, RuntimeModuleDefinition } from './types.ts'

/** Functions every module answers besides its own interface (IRuntimeModule.sol). */
export const BASE_FUNCTIONS = ['function supportsInterface(bytes4 interfaceId) view returns (bool)', 'function moduleVersion() view returns (string)'] as const

/** Reverts of the dispatcher itself, the same for every module (IRuntimeModule.sol). */
export const BASE_ERRORS = [
  'error UnknownSelector(bytes4 selector)',
  'error NonPayable()',
  'error MalformedCalldata()',
  'error StaticCallViolation()',
  'error DelegateCallNotAllowed()',
  'error ModuleError(string message)',
] as const

/**
 * The signatures of a module's `[signature, handler name]` table, as a tuple of string literals, so
 * the module's exported ABI (`Abi.from([...signaturesOf(FUNCTIONS), ...])`) keeps viem's typing.
 */
export function signaturesOf<const T extends readonly (readonly [string, string])[]>(functions: T): { readonly [K in keyof T]: T[K][0] } {
  return functions.map(([signature]) => signature) as unknown as { readonly [K in keyof T]: T[K][0] }
}

/** ERC-165's own interface id. */
export const ERC165_INTERFACE_ID = '0x01ffc9a7'

/** One dispatchable function: its parsed ABI item and implementation. */
export type CompiledFunction = {
  abi: AbiFunction.AbiFunction
  selector: Hex
  payable: boolean
  view: boolean
  handler: ModuleFunction['handler']
}

/** A module definition with its ABI parsed once: selectors, events and errors by name. */
export type CompiledModule = {
  definition: RuntimeModuleDefinition
  /** lowercase 0x address */
  address: Hex
  /** lowercase 0x selector -> function */
  functions: Map<string, CompiledFunction>
  events: Map<string, AbiEvent.AbiEvent>
  errors: Map<string, AbiError.AbiError>
  /** ERC-165 id of the module's own interface (XOR of its selectors, base functions excluded) */
  interfaceId: Hex
  /** the JSON ABI (functions, events, errors), as solc emits it for the interface */
  abi: readonly unknown[]
}

/** XOR of 4-byte selectors, as Solidity's type(I).interfaceId. */
export function interfaceIdOf(selectors: readonly Hex[]): Hex {
  let id = 0
  for (const s of selectors) id = (id ^ Number.parseInt(s.slice(2, 10), 16)) >>> 0
  return `0x${id.toString(16).padStart(8, '0')}`
}

/** Parse a module definition's human-readable ABI once (at VM construction). */
export function compileModule(definition: RuntimeModuleDefinition): CompiledModule {
  const functions = new Map<string, CompiledFunction>()
  const own: Hex[] = []
  const add = (fn: ModuleFunction, isBase: boolean) => {
    const abi = AbiFunction.from(fn.abi as string) as AbiFunction.AbiFunction
    const selector = AbiFunction.getSelector(abi).toLowerCase() as Hex
    if (functions.has(selector)) throw new Error(`module ${definition.name}: selector ${selector} of ${fn.abi} is taken`)
    functions.set(selector, {
      abi,
      selector,
      payable: abi.stateMutability === 'payable',
      view: abi.stateMutability === 'view' || abi.stateMutability === 'pure',
      handler: fn.handler,
    })
    if (!isBase) own.push(selector)
  }
  for (const fn of definition.functions) add(fn, false)
  const interfaceId = interfaceIdOf(own)
  const supported = new Set<string>([ERC165_INTERFACE_ID, interfaceId, ...(definition.supportedInterfaces ?? []).map((i) => i.toLowerCase())])
  add(
    {
      abi: BASE_FUNCTIONS[0],
      handler: async (_ctx, [id]) => supported.has((id as string).toLowerCase()),
    },
    true,
  )
  add({ abi: BASE_FUNCTIONS[1], handler: async () => definition.version }, true)
  const events = new Map<string, AbiEvent.AbiEvent>()
  for (const e of definition.events) {
    const abi = AbiEvent.from(e as string) as AbiEvent.AbiEvent
    events.set(abi.name, abi)
  }
  const errors = new Map<string, AbiError.AbiError>()
  for (const e of [...BASE_ERRORS, ...definition.errors]) {
    const abi = AbiError.from(e as string) as AbiError.AbiError
    errors.set(abi.name, abi)
  }
  const abi = [...[...functions.values()].map((f) => stripHash(f.abi)), ...[...events.values()].map(stripHash), ...[...errors.values()].map(stripHash)]
  return { definition, address: definition.address.toLowerCase() as Hex, functions, events, errors, interfaceId, abi }
}

const compiled = new WeakMap<RuntimeModuleDefinition, CompiledModule>()

/** {@link compileModule} of each definition, parsed once per definition object. */
export function compiledModules(definitions: readonly RuntimeModuleDefinition[]): CompiledModule[] {
  return definitions.map((d) => {
    let c = compiled.get(d)
    if (c === undefined) {
      c = compileModule(d)
      compiled.set(d, c)
    }
    return c
  })
}

/** ox keeps a `hash` on parsed items; the JSON ABI has none. */
function stripHash<T extends object>(item: T): Omit<T, 'hash'> {
  const { hash: _hash, ...rest } = item as T & { hash?: unknown }
  return rest
}
