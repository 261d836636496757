import type { ChainSpec, GenesisAccount, Hex } from '../../genesis/index.ts'
import { MODULE_ACCOUNT_CODE } from './addresses.ts'
import { toBytes32 } from './framework/words.ts'
import { chainParamsModule } from './chainParams/chainParamsModule.ts'
import { genesisLockedVotes, vestingModule } from './vesting/vestingModule.ts'
import { compiledModules } from './framework/compileModule.ts'
import type { RuntimeModuleDefinition } from './framework/types.ts'
import { gopenModule } from './gopen/gopenModule.ts'
import { adjustLockedVotingUnits } from './gopen/lockedVotingUnits.ts'
import { gopenGenesisStorage } from './gopen/gopenGenesisStorage.ts'
import { governorModule } from './governor/governorModule.ts'
import { timelockModule } from './timelock/timelockModule.ts'

/** Module factories in address order; each builds its definition from the spec. */
const FACTORIES: ReadonlyArray<(spec: ChainSpec) => RuntimeModuleDefinition> = [
  chainParamsModule,
  (spec) => vestingModule(spec, { lockedVotes: adjustLockedVotingUnits }),
  // GOPEN starts with the voting units of the OPEN the genesis schedules lock
  (spec) => ({ ...gopenModule(spec), genesis: () => ({ balance: 0n, storage: gopenGenesisStorage(genesisLockedVotes(spec), spec.timestamp) }) }),
  governorModule,
  timelockModule,
]

const bySpec = new WeakMap<ChainSpec, readonly RuntimeModuleDefinition[]>()

/**
 * The runtime modules a chain runs: all of them when the spec has a `governance` section, none
 * otherwise (a plain EVM chain: geth-style genesis, test specs). One list per spec object, so
 * every VM of a node shares the parsed ABIs.
 */
export function runtimeModules(spec: ChainSpec): readonly RuntimeModuleDefinition[] {
  if (spec.governance === undefined) return []
  let modules = bySpec.get(spec)
  if (modules === undefined) {
    modules = FACTORIES.map((f) => f(spec))
    bySpec.set(spec, modules)
  }
  return modules
}

/**
 * The module accounts of the genesis state: nonce 1 and MODULE_ACCOUNT_CODE (never EIP-161-empty,
 * EXTCODESIZE > 0), plus each module's genesis balance and storage.
 */
export function moduleGenesisAccounts(spec: ChainSpec): Record<Hex, GenesisAccount> {
  const out: Record<Hex, GenesisAccount> = {}
  for (const module of runtimeModules(spec)) {
    const genesis = module.genesis?.(spec) ?? { balance: 0n, storage: [] }
    const storage: Record<Hex, Hex> = {}
    for (const [slot, value] of genesis.storage) if (value !== 0n) storage[toBytes32(slot)] = toBytes32(value)
    out[module.address.toLowerCase() as Hex] = { balance: genesis.balance, nonce: 1n, code: MODULE_ACCOUNT_CODE, storage }
  }
  return out
}

/** What openledger_getModules lists: each module's name, address, interface, ERC-165 id and version. */
export function moduleInfos(spec: ChainSpec): { name: string; address: Hex; interfaceName: string; interfaceId: Hex; version: string }[] {
  return compiledModules(runtimeModules(spec)).map((m) => ({
    name: m.definition.name,
    address: m.address,
    interfaceName: m.definition.interfaceName,
    interfaceId: m.interfaceId,
    version: m.definition.version,
  }))
}
