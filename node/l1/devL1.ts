import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { createWalletClient, http } from 'viem'
import type { Chain, Hex, Transport, WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNTS } from '../../genesis/index.ts'
import type { ChainSpec, RollupSpec } from '../../genesis/index.ts'
import { OpenLedgerError, genesisAlloc } from '../../runtime/index.ts'
import { CONFIG_ERROR } from '../config/index.ts'
import { createAnvil } from './anvil.ts'
import type { Anvil } from './anvil.ts'
import { deployL1 } from './deployL1.ts'
import type { DeployL1Options } from './deployL1.ts'
import { l1Chain } from './l1Chain.ts'

/** Where --dev.l1 keeps anvil's state inside the datadir (dumped on a clean stop, loaded at start). */
export const DEV_L1_STATE_FILE = join('l1', 'anvil-state.json')
/** L1 chain id of --dev.l1 (op-devnet's L1 id). */
export const DEV_L1_CHAIN_ID = 900n
/** OPEN each dev account holds on the --dev.l1 L1 (to deposit). */
export const DEV_L1_OPEN_PER_ACCOUNT = 10_000n * 10n ** 18n

// L1 roles of --dev.l1 among the dev accounts (same mnemonic as anvil's): the deployer also
// holds the genesis lock and is L2OutputOracle's proposer; the proxy admin must be another account
const DEPLOYER = DEV_ACCOUNTS[0]!
const PROXY_ADMIN = DEV_ACCOUNTS[9]!

/** A running --dev.l1: anvil, and on a fresh datadir the rollup spec its deployment gave. */
export type DevL1 = {
  anvil: Anvil
  /** the dev spec with its `rollup` section (fresh datadir only; else the datadir's spec holds it) */
  spec: ChainSpec | undefined
  /** the L1 key of L2OutputOracle's proposer (the deployer) */
  proposerKey: Hex
}

/**
 * Start the L1 of `openledger node --dev --dev.l1`: anvil on a free loopback port mining a block a
 * second, its state kept in the datadir (DEV_L1_STATE_FILE) so restarts find the same L1. On a
 * fresh datadir it deploys the contracts-bedrock 0.17.3 L1 contracts with OPEN as the gas-paying
 * token (node/l1/deployL1.ts), locks the L2 genesis supply in the portal, gives every dev account
 * DEV_L1_OPEN_PER_ACCOUNT L1 OPEN, and returns `base` with the resulting rollup section. A datadir
 * made without --dev.l1 (or whose L1 state is gone) is refused: its genesis anchors another L1.
 */
export async function startDevL1(options: { datadir: string; base: ChainSpec; fresh: boolean; logger: Logger }): Promise<DevL1> {
  const { datadir, base, fresh, logger } = options
  const statePath = join(datadir, DEV_L1_STATE_FILE)
  if (!fresh && !existsSync(statePath)) {
    throw new OpenLedgerError(
      CONFIG_ERROR.CONFLICTING_OPTIONS,
      `invalid --dev.l1: datadir ${datadir} was created without --dev.l1 (or its L1 state ${statePath} is gone); use another --datadir or delete ${datadir}`,
      { option: 'dev.l1', datadir },
    )
  }
  if (fresh) await rm(statePath, { force: true })
  await mkdir(join(datadir, 'l1'), { recursive: true })
  const anvil = await createAnvil({ chainId: DEV_L1_CHAIN_ID, blockTime: 1, statePath })
  try {
    if (!fresh) return { anvil, spec: undefined, proposerKey: DEPLOYER.privateKey as Hex }
    const wallet = createWalletClient({ chain: l1Chain(anvil.url, DEV_L1_CHAIN_ID), transport: http(anvil.url, { retryCount: 0 }) })
    const fundOpen = DEV_ACCOUNTS.map((a) => ({ address: a.address as Hex, amount: DEV_L1_OPEN_PER_ACCOUNT }))
    const spec = await deployDevRollup(wallet, base, fundOpen)
    const { rollup } = spec
    logger.info({ l1: anvil.url, portal: rollup.depositContract, open: rollup.gasPayingToken.address, l1Genesis: rollup.l1Genesis.number }, 'dev L1 deployed')
    return { anvil, spec, proposerKey: DEPLOYER.privateKey as Hex }
  } catch (err) {
    await anvil.stop()
    throw err
  }
}

/**
 * Deploy the L1 side of a dev rollup on `wallet`'s L1 and return `base` with its rollup section:
 * the contracts-bedrock L1 contracts with OPEN as gas token (deployed and administered by dev
 * accounts 0 and 9; 0 is L2OutputOracle's proposer and the L2 proxy-admin owner), the L2 genesis
 * supply (every genesis balance of `base`; predeploys hold none) locked in the portal in the block
 * that becomes genesis.l1, and `fundOpen` given L1 OPEN.
 */
export async function deployDevRollup(
  wallet: WalletClient<Transport, Chain>,
  base: ChainSpec,
  fundOpen: DeployL1Options['fundOpen'],
): Promise<ChainSpec & { rollup: RollupSpec }> {
  let genesisSupply = 0n
  for (const account of Object.values(await genesisAlloc(base))) genesisSupply += account.balance
  const deployment = await deployL1(
    wallet,
    { deployer: privateKeyToAccount(DEPLOYER.privateKey as Hex), proxyAdmin: privateKeyToAccount(PROXY_ADMIN.privateKey as Hex) },
    { l2GenesisTimestamp: base.timestamp, genesisSupply, l2ChainId: base.chainId, l2BlockTime: BigInt(base.blockTime), fundOpen },
  )
  const rollup: RollupSpec = {
    ...deployment.rollup,
    l2ProxyAdminOwner: DEPLOYER.address.toLowerCase() as Hex,
    maxSequencerDrift: 600n,
    l1InfoForm: 'ecotone',
  }
  return { ...base, rollup }
}
