import { encodeDeployData, encodeFunctionData, getContractAddress, maxUint128, pad, publicActions, testActions } from 'viem'
import type { Abi, Account, Chain, Hex, Transport, WalletClient } from 'viem'
import type { L1BlockId, RollupSpec } from '../../genesis/index.ts'
import { readOpArtifact } from './opArtifacts.ts'
import { MULTICALL3_ADDRESS, multicall3Code } from '../../runtime/index.ts'

/** The RollupSpec fields an L1 deployment decides (the rest are L2 choices). */
export type L1RollupFields = Pick<
  RollupSpec,
  | 'l1ChainId'
  | 'l1Genesis'
  | 'depositContract'
  | 'systemConfig'
  | 'l1CrossDomainMessenger'
  | 'l1StandardBridge'
  | 'l2OutputOracle'
  | 'batchInbox'
  | 'batcher'
  | 'baseFeeScalar'
  | 'blobBaseFeeScalar'
  | 'gasPayingToken'
>

/** Options of {@link deployL1}. */
export type DeployL1Options = {
  /** the L2 genesis timestamp: L2OutputOracle's startingTimestamp (must be <= the L1's latest block timestamp) */
  l2GenesisTimestamp: bigint
  /** OPEN locked in the portal to back the L2 genesis supply (0 = no lock) */
  genesisSupply: bigint
  /** L2 chain id: names the default batch inbox 0xff00…<chainId> (op-deployer's convention) */
  l2ChainId: bigint
  /** an existing OPEN on L1 (18 decimals, the deployer holds `genesisSupply` + what `fundOpen` gives); undefined = deploy MockERC20("Open Token", "OPEN", 18) */
  openToken: Hex | undefined
  /** L1 OPEN for dev accounts (minted when OPEN is the MockERC20, else transferred from the deployer) */
  fundOpen: { address: Hex; amount: bigint }[]
  /** `to` of the genesis-lock deposit (never derived: the L2 genesis credits the supply); default the deployer */
  genesisRecipient: Hex | undefined
  /** SystemConfig owner, SuperchainConfig guardian, L2OutputOracle proposer/challenger, batcher, unsafe block signer: default the deployer */
  owner: Hex | undefined
  guardian: Hex | undefined
  proposer: Hex | undefined
  challenger: Hex | undefined
  batcher: Hex | undefined
  unsafeBlockSigner: Hex | undefined
  batchInbox: Hex | undefined
  /** L2OutputOracle: L2 blocks between proposals (1: every block can be proven, as the e2e test needs) */
  submissionInterval: bigint
  /** L2OutputOracle: seconds per L2 block (genesis/defaults.ts blockTime) */
  l2BlockTime: bigint
  /** L2OutputOracle: seconds before a proposal can finalize withdrawals (12 s on a dev chain; 7 days on OP Mainnet) */
  finalizationPeriodSeconds: bigint
  /** SystemConfig gasLimit: >= its minimumGasLimit (maxResourceLimit + systemTxMaxGas = 21M) */
  l2GasLimit: bigint
  /** Ecotone fee scalars (OP Mainnet's values) */
  baseFeeScalar: number
  blobBaseFeeScalar: number
  /** set Multicall3's code with anvil_setCode (viem's withdrawal status helpers need it on L1) */
  setMulticall3: boolean
}

/** Defaults of {@link DeployL1Options} (a dev chain's). */
export const defaultDeployL1Options: Omit<DeployL1Options, 'l2GenesisTimestamp' | 'genesisSupply' | 'l2ChainId'> = {
  openToken: undefined,
  fundOpen: [],
  genesisRecipient: undefined,
  owner: undefined,
  guardian: undefined,
  proposer: undefined,
  challenger: undefined,
  batcher: undefined,
  unsafeBlockSigner: undefined,
  batchInbox: undefined,
  submissionInterval: 1n,
  l2BlockTime: 2n,
  finalizationPeriodSeconds: 12n,
  l2GasLimit: 30_000_000n,
  baseFeeScalar: 1368,
  blobBaseFeeScalar: 810_949,
  setMulticall3: true,
}

/** The proxied L1 contracts, in initialisation order (the portal before SystemConfig: §8.3). */
export const L1_PROXIED = [
  'SuperchainConfig',
  'L2OutputOracle',
  'OptimismPortal',
  'L1CrossDomainMessenger',
  'L1StandardBridge',
  'OptimismMintableERC20Factory',
  'SystemConfig',
] as const
/** One of {@link L1_PROXIED}. */
export type L1ProxiedName = (typeof L1_PROXIED)[number]

/** What {@link deployL1} deployed. */
export type L1Deployment = {
  /** the RollupSpec fields of this L1 */
  rollup: L1RollupFields
  /** OPEN on L1 (the gas-paying token) */
  openToken: Hex
  /** proxy addresses (the ones to use) */
  proxies: Record<L1ProxiedName, Hex>
  /** implementation addresses behind them */
  implementations: Record<L1ProxiedName, Hex>
  superchainConfig: Hex
  optimismMintableERC20Factory: Hex
  /** the account that administers every proxy (EIP-1967 admin) */
  proxyAdmin: Hex
  deployer: Hex
  /** the genesis-supply lock: its L1 tx and block (= rollup.l1Genesis); undefined when genesisSupply is 0 */
  genesisLock: { txHash: Hex; block: L1BlockId } | undefined
}

/** Gas for calls whose state depends on earlier unmined txs (no estimate possible); measured 2026-12 on anvil 1.7.1 below half of these. */
const CALL_GAS = { init: 1_500_000n, token: 200_000n, deposit: 500_000n } as const
/** gasLimit of the genesis-lock deposit on L2 (never executed: it is not derived) */
const LOCK_DEPOSIT_GAS = 100_000n
const GWEI = 1_000_000_000n

type Tx = { to?: Hex; data: Hex; gas: bigint }

/**
 * Deploy and initialise the contracts-bedrock 0.17.3 L1 side of an OP Stack chain with OPEN as
 * its custom gas token (shared/specs/op-bridge.md §8.2 steps 1–3): OPEN, 7 implementations and a
 * Proxy for each (admin = `proxyAdmin`, a second account, so the deployer's calls reach the
 * implementations), `upgradeToAndCall` with the initialisers in dependency order, Multicall3's
 * code (anvil), then the genesis-supply lock: approve + OptimismPortal.depositERC20Transaction
 * from the deployer, whose L1 block becomes `rollup.l1Genesis` (the follower derives only later
 * blocks). Bytecode is read from the npm package at run time. Txs of one sender go out with
 * explicit nonces and gas, and receipts are awaited once per phase (3 round trips in all).
 *
 * @example
 * const wallet = createWalletClient({ chain: { ...foundry, id: 900 }, transport: http(anvil.url) })
 * const l1 = await deployL1(wallet, { deployer, proxyAdmin }, { l2GenesisTimestamp, genesisSupply: 10n ** 27n, l2ChainId: 1337n })
 */
export async function deployL1(
  wallet: WalletClient<Transport, Chain>,
  accounts: { deployer: Account; proxyAdmin: Account },
  options: Partial<DeployL1Options> & Pick<DeployL1Options, 'l2GenesisTimestamp' | 'genesisSupply' | 'l2ChainId'>,
): Promise<L1Deployment> {
  const opts: DeployL1Options = { ...defaultDeployL1Options, ...options }
  const client = wallet.extend(publicActions)
  const { deployer, proxyAdmin } = accounts
  if (deployer.address.toLowerCase() === proxyAdmin.address.toLowerCase())
    throw new Error('deployL1: the proxy admin must not be the deployer (its calls would not reach the implementations)')
  const me = deployer.address
  const batcher = opts.batcher ?? me
  const batchInbox = opts.batchInbox ?? (`0xff${opts.l2ChainId.toString(16).padStart(38, '0')}` as Hex)
  if (opts.l2ChainId.toString(16).length > 38) throw new Error(`deployL1: l2ChainId ${opts.l2ChainId} does not fit a batch inbox address`)

  const [latest, deployerNonce, adminNonce] = await Promise.all([
    client.getBlock({ blockTag: 'latest' }),
    client.getTransactionCount({ address: me, blockTag: 'pending' }),
    client.getTransactionCount({ address: proxyAdmin.address, blockTag: 'pending' }),
  ])
  if (opts.l2GenesisTimestamp > latest.timestamp) {
    throw new Error(
      `deployL1: l2GenesisTimestamp ${opts.l2GenesisTimestamp} is after the L1 head's timestamp ${latest.timestamp} (L2OutputOracle requires startingTimestamp <= now)`,
    )
  }
  // fees fixed once: every tx of the deployment pays the same
  const maxPriorityFeePerGas = GWEI
  const maxFeePerGas = (latest.baseFeePerGas ?? GWEI) * 2n + maxPriorityFeePerGas
  const senders = new Map<Account, number>([
    [deployer, deployerNonce],
    [proxyAdmin, adminNonce],
  ])
  const send = (account: Account, tx: Tx): Promise<Hex> => {
    const nonce = senders.get(account)!
    senders.set(account, nonce + 1)
    return wallet.sendTransaction({ account, chain: wallet.chain, to: tx.to ?? null, data: tx.data, gas: tx.gas, nonce, maxFeePerGas, maxPriorityFeePerGas })
  }
  const settle = async (phase: string, hashes: Promise<Hex>[]): Promise<void> => {
    const receipts = await Promise.all((await Promise.all(hashes)).map((hash) => client.waitForTransactionReceipt({ hash, pollingInterval: 50 })))
    const failed = receipts.findIndex((r) => r.status !== 'success')
    if (failed >= 0) throw new Error(`deployL1: ${phase}: tx ${failed} (${receipts[failed]!.transactionHash}) reverted`)
  }
  const call = (to: Hex, abi: Abi, functionName: string, args: unknown[], gas: bigint): Tx => ({
    to,
    data: encodeFunctionData({ abi, functionName, args }),
    gas,
  })

  // phase 1 (deployer): OPEN, implementations, proxies, OPEN balances
  const creations: { name: string; data: Hex }[] = []
  const mock = readOpArtifact('MockERC20')
  if (opts.openToken === undefined)
    creations.push({ name: 'OPEN', data: encodeDeployData({ abi: mock.abi, bytecode: mock.bytecode, args: ['Open Token', 'OPEN', 18] }) })
  for (const name of L1_PROXIED) creations.push({ name, data: readOpArtifact(name).bytecode })
  const proxy = readOpArtifact('Proxy')
  for (const name of L1_PROXIED)
    creations.push({ name: `${name}Proxy`, data: encodeDeployData({ abi: proxy.abi, bytecode: proxy.bytecode, args: [proxyAdmin.address] }) })
  // creations depend on no earlier tx: estimate them all at once, 20% headroom
  const gases = await Promise.all(creations.map((c) => client.estimateGas({ account: me, data: c.data })))
  const at = new Map<string, Hex>()
  const phase1: Promise<Hex>[] = []
  for (const [i, c] of creations.entries()) {
    at.set(c.name, getContractAddress({ from: me, nonce: BigInt(senders.get(deployer)!) }))
    phase1.push(send(deployer, { data: c.data, gas: (gases[i]! * 6n) / 5n }))
  }
  const open = opts.openToken ?? at.get('OPEN')!
  const fundTotal = opts.fundOpen.reduce((sum, f) => sum + f.amount, 0n)
  let gasPayingToken: RollupSpec['gasPayingToken']
  if (opts.openToken === undefined) {
    if (opts.genesisSupply > 0n) phase1.push(send(deployer, call(open, mock.abi, 'mint', [me, opts.genesisSupply], CALL_GAS.token)))
    for (const f of opts.fundOpen) phase1.push(send(deployer, call(open, mock.abi, 'mint', [f.address, f.amount], CALL_GAS.token)))
    gasPayingToken = { address: open, decimals: 18, name: 'Open Token', symbol: 'OPEN' }
  } else {
    const read = (functionName: string, args: unknown[] = []): Promise<unknown> => client.readContract({ address: open, abi: mock.abi, functionName, args })
    const [balance, decimals, name, symbol] = (await Promise.all([read('balanceOf', [me]), read('decimals'), read('name'), read('symbol')])) as [
      bigint,
      number,
      string,
      string,
    ]
    gasPayingToken = { address: open, decimals, name, symbol }
    if (balance < opts.genesisSupply + fundTotal)
      throw new Error(`deployL1: the deployer holds ${balance} of OPEN ${open}, needs ${opts.genesisSupply + fundTotal}`)
    for (const f of opts.fundOpen) phase1.push(send(deployer, call(open, mock.abi, 'transfer', [f.address, f.amount], CALL_GAS.token)))
  }
  const multicall = opts.setMulticall3
    ? client.extend(testActions({ mode: 'anvil' })).setCode({ address: MULTICALL3_ADDRESS, bytecode: multicall3Code() })
    : undefined
  await settle('deploy', phase1)
  await multicall

  const proxies = Object.fromEntries(L1_PROXIED.map((n) => [n, at.get(`${n}Proxy`)!])) as Record<L1ProxiedName, Hex>
  const implementations = Object.fromEntries(L1_PROXIED.map((n) => [n, at.get(n)!])) as Record<L1ProxiedName, Hex>

  // phase 2 (proxy admin): upgradeToAndCall(implementation, initialize(...)) in dependency order
  const initArgs: Record<L1ProxiedName, unknown[]> = {
    SuperchainConfig: [opts.guardian ?? me, false],
    L2OutputOracle: [
      opts.submissionInterval,
      opts.l2BlockTime,
      0n,
      opts.l2GenesisTimestamp,
      opts.proposer ?? me,
      opts.challenger ?? me,
      opts.finalizationPeriodSeconds,
    ],
    OptimismPortal: [proxies.L2OutputOracle, proxies.SystemConfig, proxies.SuperchainConfig],
    L1CrossDomainMessenger: [proxies.SuperchainConfig, proxies.OptimismPortal, proxies.SystemConfig],
    L1StandardBridge: [proxies.L1CrossDomainMessenger, proxies.SuperchainConfig, proxies.SystemConfig],
    OptimismMintableERC20Factory: [proxies.L1StandardBridge],
    SystemConfig: [
      opts.owner ?? me,
      opts.baseFeeScalar,
      opts.blobBaseFeeScalar,
      pad(batcher, { size: 32 }),
      opts.l2GasLimit,
      opts.unsafeBlockSigner ?? me,
      // contracts-bedrock src/libraries/Constants.sol DEFAULT_RESOURCE_CONFIG
      {
        maxResourceLimit: 20_000_000,
        elasticityMultiplier: 10,
        baseFeeMaxChangeDenominator: 8,
        minimumBaseFee: Number(GWEI),
        systemTxMaxGas: 1_000_000,
        maximumBaseFee: maxUint128,
      },
      batchInbox,
      {
        l1CrossDomainMessenger: proxies.L1CrossDomainMessenger,
        l1ERC721Bridge: ZERO_ADDRESS,
        l1StandardBridge: proxies.L1StandardBridge,
        disputeGameFactory: ZERO_ADDRESS,
        optimismPortal: proxies.OptimismPortal,
        optimismMintableERC20Factory: proxies.OptimismMintableERC20Factory,
        gasPayingToken: open,
      },
    ],
  }
  await settle(
    'initialise',
    L1_PROXIED.map((name) => {
      const initialize = encodeFunctionData({ abi: readOpArtifact(name).abi, functionName: 'initialize', args: initArgs[name] })
      return send(proxyAdmin, call(proxies[name], proxy.abi, 'upgradeToAndCall', [implementations[name], initialize], CALL_GAS.init))
    }),
  )

  // phase 3 (deployer): lock the L2 genesis supply in the portal
  let genesisLock: L1Deployment['genesisLock']
  if (opts.genesisSupply > 0n) {
    const portal = readOpArtifact('OptimismPortal')
    const approve = send(deployer, call(open, mock.abi, 'approve', [proxies.OptimismPortal, opts.genesisSupply], CALL_GAS.token))
    const lock = send(
      deployer,
      call(
        proxies.OptimismPortal,
        portal.abi,
        'depositERC20Transaction',
        [opts.genesisRecipient ?? me, opts.genesisSupply, 0n, LOCK_DEPOSIT_GAS, false, '0x'],
        CALL_GAS.deposit,
      ),
    )
    await settle('genesis lock', [approve, lock])
    const receipt = await client.getTransactionReceipt({ hash: await lock })
    genesisLock = { txHash: receipt.transactionHash, block: { number: receipt.blockNumber, hash: receipt.blockHash } }
  }
  const l1Genesis: L1BlockId = genesisLock?.block ?? (await client.getBlock({ blockTag: 'latest' }).then((b) => ({ number: b.number, hash: b.hash })))

  return {
    rollup: {
      l1ChainId: BigInt(wallet.chain.id),
      l1Genesis,
      depositContract: proxies.OptimismPortal,
      systemConfig: proxies.SystemConfig,
      l1CrossDomainMessenger: proxies.L1CrossDomainMessenger,
      l1StandardBridge: proxies.L1StandardBridge,
      l2OutputOracle: proxies.L2OutputOracle,
      batchInbox,
      batcher,
      baseFeeScalar: opts.baseFeeScalar,
      blobBaseFeeScalar: opts.blobBaseFeeScalar,
      gasPayingToken,
    },
    openToken: open,
    proxies,
    implementations,
    superchainConfig: proxies.SuperchainConfig,
    optimismMintableERC20Factory: proxies.OptimismMintableERC20Factory,
    proxyAdmin: proxyAdmin.address,
    deployer: me,
    genesisLock,
  }
}

const ZERO_ADDRESS: Hex = '0x0000000000000000000000000000000000000000'
