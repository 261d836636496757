// The bridge e2e harness: an in-process `openledger node --dev --dev.l1` (anvil as L1 with the
// contracts-bedrock 0.17.3 L1 side, OPEN as the custom gas token) on a temp datadir, and viem
// clients for both sides with the op-stack actions. In-process rather than a child (STYLE §7's
// e2e rule) because the supply invariant walks the L2 state trie, which JSON-RPC cannot list.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { createPublicClient, createWalletClient, defineChain, http, parseAbi, publicActions, testActions } from 'viem'
import type { Hex, PrivateKeyAccount } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { chainConfig, publicActionsL1, publicActionsL2, walletActionsL1, walletActionsL2 } from 'viem/op-stack'
import type { RollupSpec } from '../../../genesis/index.ts'
import { DEV_L1_CHAIN_ID, l1Chain } from '../../../node/l1/index.ts'
import { createNode } from '../../../node/index.ts'
import type { Node, NodeOptions } from '../../../node/index.ts'
import { MULTICALL3_ADDRESS } from '../../../runtime/index.ts'

/** The OPEN (MockERC20) and OptimismPortal (2.8.1-beta.1) functions and events the tests use on L1. */
export const L1_BRIDGE_ABI = parseAbi([
  'function approve(address spender, uint256 amount) returns (bool)',
  'function balanceOf(address account) view returns (uint256)',
  'function balance() view returns (uint256)',
  'function depositTransaction(address to, uint256 value, uint64 gasLimit, bool isCreation, bytes data) payable',
  'function depositERC20Transaction(address to, uint256 mint, uint256 value, uint64 gasLimit, bool isCreation, bytes data)',
  'function finalizedWithdrawals(bytes32 hash) view returns (bool)',
  'function finalizeWithdrawalTransaction((uint256 nonce, address sender, address target, uint256 value, uint256 gasLimit, bytes data) tx)',
  'event WithdrawalFinalized(bytes32 indexed withdrawalHash, bool success)',
])

/** The viem L1 chain of --dev.l1 (anvil, chain 900) with Multicall3, which viem's withdrawal status reads need. */
export function l1ChainOf(l1Url: string) {
  return l1Chain(l1Url, DEV_L1_CHAIN_ID)
}

/** The viem op-stack L2 chain: portal and L2OutputOracle keyed by the L1 chain id, sourceId = L1. */
export function l2ChainOf(chainId: bigint, rpcUrl: string, rollup: RollupSpec) {
  const l1 = Number(rollup.l1ChainId)
  return defineChain({
    ...chainConfig,
    id: Number(chainId),
    name: 'openledger dev L2',
    nativeCurrency: { name: 'Open Token', symbol: 'OPEN', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    sourceId: l1,
    contracts: {
      ...chainConfig.contracts,
      multicall3: { address: MULTICALL3_ADDRESS },
      portal: { [l1]: { address: rollup.depositContract } },
      l2OutputOracle: { [l1]: { address: rollup.l2OutputOracle } },
      l1StandardBridge: { [l1]: { address: rollup.l1StandardBridge } },
    },
  })
}

// viem polls receipts every 4 s by default (its chain blockTime / 2); both chains here make a block a second
const POLLING_MS = 100

/** viem clients for one node and its L1. */
export function bridgeClients(node: Pick<Node, 'spec' | 'rpcUrl' | 'l1Url'>) {
  const rollup = node.spec.rollup
  if (rollup === undefined || node.l1Url === undefined) throw new Error('bridgeClients: the node has no rollup section or no L1')
  const l1Chain = l1ChainOf(node.l1Url)
  const l2Chain = l2ChainOf(node.spec.chainId, node.rpcUrl, rollup)
  const l1Transport = http(node.l1Url, { retryCount: 0 })
  const l2Transport = http(node.rpcUrl, { retryCount: 0 })
  const l1 = createPublicClient({ chain: l1Chain, transport: l1Transport, pollingInterval: POLLING_MS })
    .extend(publicActionsL1())
    .extend(testActions({ mode: 'anvil' }))
  const l2 = createPublicClient({ chain: l2Chain, transport: l2Transport, pollingInterval: POLLING_MS }).extend(publicActionsL2())
  const l1Wallet = (account: PrivateKeyAccount) =>
    createWalletClient({ account, chain: l1Chain, transport: l1Transport, pollingInterval: POLLING_MS }).extend(walletActionsL1()).extend(publicActions)
  const l2Wallet = (account: PrivateKeyAccount) =>
    createWalletClient({ account, chain: l2Chain, transport: l2Transport, pollingInterval: POLLING_MS }).extend(walletActionsL2()).extend(publicActions)
  // L1 OPEN (the gas-paying token)
  const open = rollup.gasPayingToken.address
  return { rollup, open, l1Chain, l2Chain, l1, l2, l1Wallet, l2Wallet }
}

/** A running bridge node with its clients. */
export type BridgeHarness = ReturnType<typeof bridgeClients> & {
  node: Node
  datadir: string
  /** the dev accounts as viem accounts (same keys on L1 and L2) */
  accounts: PrivateKeyAccount[]
  /** close the node (and its anvil); the datadir stays until teardown */
  close(): Promise<void>
}

/** The tap test surface the harness needs (teardown). */
type Teardown = { teardown(fn: () => unknown): void }

/**
 * Start `--dev --dev.l1` in-process on `datadir` (a fresh temp dir, removed at teardown, when none
 * is given) with RPC on port 0 and a quick L1 poll; node (and anvil) closed in t.teardown.
 */
export async function startBridgeNode(t: Teardown, options: { datadir?: string } & Partial<NodeOptions> = {}): Promise<BridgeHarness> {
  const datadir = options.datadir ?? mkdtempSync(join(tmpdir(), 'ol-bridge-e2e-'))
  if (options.datadir === undefined) t.teardown(() => rmSync(datadir, { recursive: true, force: true }))
  const node = await createNode({
    logger: pino({ level: process.env.OPENLEDGER_TEST_LOG ?? 'silent' }),
    l1PollIntervalMs: 200,
    ...options,
    dev: true,
    devL1: true,
    datadir,
    rpcPort: 0,
    metrics: false,
  })
  t.teardown(() => node.close())
  node.start()
  const clients = bridgeClients(node)
  return {
    ...clients,
    node,
    datadir,
    accounts: node.devAccounts.map((a) => privateKeyToAccount(a.privateKey as Hex)),
    close: () => node.close(),
  }
}
