import { serializeRollup } from '../../../genesis/index.ts'
import type { GenesisAccount, Hex, RollupSpec } from '../../../genesis/index.ts'
import { contractArtifact, multicall3Code, selectorOf } from './contractArtifacts.ts'
import { createGenesisSandbox } from './genesisSandbox.ts'
import type { GenesisSandbox } from './genesisSandbox.ts'
import {
  DEPOSITOR_ACCOUNT,
  EIP1967_ADMIN_SLOT,
  EIP1967_IMPLEMENTATION_SLOT,
  MULTICALL3_ADDRESS,
  PREDEPLOYS,
  predeployImplementation,
} from './predeployAddresses.ts'
import type { PredeployName } from './predeployAddresses.ts'

// FeeVault's WithdrawalNetwork enum: 0 = L1, 1 = L2. The vaults pay out on L2: on an OPEN-gas
// chain an L1 withdrawal of native OPEN would go through the portal's ERC-20 balance instead
const WITHDRAWAL_NETWORK_L2 = 1n
const FEE_VAULTS = ['SequencerFeeVault', 'BaseFeeVault', 'L1FeeVault'] as const

/** One ABI word: an address or uint, left-padded (no 0x). */
function abiWord(value: Hex | bigint): string {
  const n = typeof value === 'bigint' ? value : BigInt(value)
  return n.toString(16).padStart(64, '0')
}

/**
 * GasPayingToken.sanitize of a name or symbol (LibString.toSmallString): its UTF-8 bytes
 * left-aligned in one bytes32, zero-padded on the right (parseRollup checked 1-32 bytes, no NUL).
 */
function smallString(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').padEnd(64, '0')
}

/** Constructor arguments of a predeploy implementation (ABI-encoded, no 0x). */
function constructorArgs(name: PredeployName, rollup: RollupSpec): string {
  if (name === 'ProxyAdmin') return abiWord(rollup.l2ProxyAdminOwner)
  // recipient, minWithdrawalAmount, withdrawalNetwork (immutables, so the constructor must run)
  if ((FEE_VAULTS as readonly string[]).includes(name)) return abiWord(rollup.l2ProxyAdminOwner) + abiWord(0n) + abiWord(WITHDRAWAL_NETWORK_L2)
  return ''
}

function calldata(contract: PredeployName, signature: string, ...words: string[]): Hex {
  return `${selectorOf(contract, signature)}${words.join('')}`
}

/**
 * Lay out the predeploys in `sandbox`, as the monorepo's L2Genesis script does
 * (op-contracts/v2.0.0-beta.2, shared/specs/op-bridge.md §4.2): each implementation built by its
 * own constructor (which locks the initializable ones with zero arguments) and installed at its
 * code-namespace address; a Proxy at each predeploy address with the EIP-1967 admin (the
 * ProxyAdmin) and implementation slots; the ProxyAdmin's owner; then the initializers run through
 * the proxies.
 */
async function layOut(sandbox: GenesisSandbox, rollup: RollupSpec): Promise<void> {
  const proxyCode = contractArtifact('Proxy').deployedBytecode
  const owner = `0x${abiWord(rollup.l2ProxyAdminOwner)}` as Hex
  for (const name of Object.keys(PREDEPLOYS) as PredeployName[]) {
    const proxy = PREDEPLOYS[name]
    const implementation = predeployImplementation(proxy)
    const built = await sandbox.deploy(`${contractArtifact(name).bytecode}${constructorArgs(name, rollup)}`)
    await sandbox.setCode(implementation, built.code)
    for (const [slot, value] of Object.entries(built.storage)) await sandbox.setStorage(implementation, slot as Hex, value)
    await sandbox.setCode(proxy, proxyCode)
    await sandbox.setStorage(proxy, EIP1967_ADMIN_SLOT, `0x${abiWord(PREDEPLOYS.ProxyAdmin)}`)
    await sandbox.setStorage(proxy, EIP1967_IMPLEMENTATION_SLOT, `0x${abiWord(implementation)}`)
  }
  // ProxyAdmin has no initializer: L2Genesis writes Ownable's owner (slot 0) into the proxy
  await sandbox.setStorage(PREDEPLOYS.ProxyAdmin, '0x00', owner)

  // the gas token as the SystemConfig deposit would set it (op-bridge.md §3.4), by the depositor account
  const token = rollup.gasPayingToken
  await sandbox.call(
    DEPOSITOR_ACCOUNT,
    PREDEPLOYS.L1Block,
    calldata(
      'L1Block',
      'setGasPayingToken(address,uint8,bytes32,bytes32)',
      abiWord(token.address),
      abiWord(BigInt(token.decimals)),
      smallString(token.name),
      smallString(token.symbol),
    ),
    'L1Block.setGasPayingToken',
  )
  // Ecotone is active at genesis: L2Genesis' activateEcotone switches the GasPriceOracle to the Ecotone L1-fee formula
  await sandbox.call(DEPOSITOR_ACCOUNT, PREDEPLOYS.GasPriceOracle, calldata('GasPriceOracle', 'setEcotone()'), 'GasPriceOracle.setEcotone')
  const init = (name: PredeployName, argument: Hex) =>
    sandbox.call(DEPOSITOR_ACCOUNT, PREDEPLOYS[name], calldata(name, 'initialize(address)', abiWord(argument)), `${name}.initialize`)
  await init('L2CrossDomainMessenger', rollup.l1CrossDomainMessenger)
  await init('L2StandardBridge', rollup.l1StandardBridge)
  await init('OptimismMintableERC20Factory', PREDEPLOYS.L2StandardBridge)

  // preinstalls get nonce 1 (L2Genesis _setPreinstallCode), as if deployed by CREATE (EIP-161)
  await sandbox.setCode(MULTICALL3_ADDRESS, multicall3Code())
}

const built = new Map<string, Promise<Record<Hex, GenesisAccount>>>()

async function build(rollup: RollupSpec): Promise<Record<Hex, GenesisAccount>> {
  const sandbox = await createGenesisSandbox()
  await layOut(sandbox, rollup)
  const addresses = Object.values(PREDEPLOYS).flatMap((proxy) => [proxy, predeployImplementation(proxy)])
  const alloc = await sandbox.accounts([...addresses, MULTICALL3_ADDRESS])
  alloc[MULTICALL3_ADDRESS] = { ...alloc[MULTICALL3_ADDRESS]!, nonce: 1n }
  return alloc
}

/**
 * The OP Stack L2 genesis accounts of a rollup chain (runtime/genesis/createGenesis.ts merges
 * them when `spec.rollup` is set): the predeploys of {@link PREDEPLOYS} behind Proxies with their
 * implementations at 0xc0d3…, initialised for `rollup`'s L1 contracts, L1Block reporting the
 * custom gas token (CGT v1), and the Multicall3 preinstall. The code comes from the installed
 * @eth-optimism/contracts-bedrock 0.17.3 artifacts; constructors and initializers run in a
 * throwaway EVM ({@link createGenesisSandbox}) and their storage is read back. Keys are sorted
 * and the result depends only on `rollup` (built once per distinct rollup and process; each
 * call returns a fresh copy).
 *
 * @example
 * const alloc = await rollupPredeployAlloc(spec.rollup)
 * alloc[PREDEPLOYS.L1Block].code // the Proxy's runtime code
 */
export async function rollupPredeployAlloc(rollup: RollupSpec): Promise<Record<Hex, GenesisAccount>> {
  const key = JSON.stringify(serializeRollup(rollup))
  let pending = built.get(key)
  if (pending === undefined) {
    pending = build(rollup)
    built.set(key, pending)
    // a failed build is not remembered: the next call reports the failure again
    pending.catch(() => built.delete(key))
  }
  return structuredClone(await pending)
}
