import { tokenomicsBalances } from '../../genesis/index.ts'
import type { DevAccount, Hex, RollupSpec } from '../../genesis/index.ts'
import { PREDEPLOYS } from '../../runtime/index.ts'
import type { Node } from '../node.ts'

const WEI_PER_OPEN = 10n ** 18n

function formatOpen(wei: bigint): string {
  const whole = wei / WEI_PER_OPEN
  const frac = (wei % WEI_PER_OPEN).toString().padStart(18, '0').replace(/0+$/, '')
  return frac === '' ? `${whole}` : `${whole}.${frac}`
}

/**
 * The --dev start-up banner, like anvil's: the funded dev accounts with their genesis balances,
 * their (public, well-known) private keys, the mnemonic, chain id, base fee, gas limit and the
 * RPC address. Only ever printed in --dev mode: these keys are for local development.
 */
export function renderDevBanner(node: Node): string {
  const { spec } = node
  const lines: string[] = ['', 'Available Accounts', '==================']
  // a spec with tokenomics funds accounts through its table (its alloc balances are 0)
  const liquid = spec.tokenomics === undefined ? new Map<Hex, bigint>() : tokenomicsBalances(spec.tokenomics)
  for (const account of node.devAccounts) {
    const address = account.address.toLowerCase() as Hex
    const balance = (spec.alloc[address]?.balance ?? 0n) + (liquid.get(address) ?? 0n)
    lines.push(`(${account.index}) ${account.address} (${formatOpen(balance)} OPEN)`)
  }
  lines.push('', 'Private Keys', '==================')
  for (const account of node.devAccounts) lines.push(`(${account.index}) ${account.privateKey}`)
  lines.push(
    '',
    'Wallet',
    '==================',
    'Mnemonic:          test test test test test test test test test test test junk',
    "Derivation path:   m/44'/60'/0'/0/",
    '',
    'Chain ID',
    '==================',
    '',
    `${spec.chainId}`,
    '',
    'Base Fee',
    '==================',
    '',
    `${spec.baseFee.initial}`,
    '',
    'Gas Limit',
    '==================',
    '',
    `${spec.gasLimit}`,
    '',
    'Block Time',
    '==================',
    '',
    `${spec.blockTime} s${node.sequencer !== undefined ? ' (and automine)' : ''}`,
    '',
    `Data directory: ${node.datadir}`,
    `Listening on ${node.rpcUrl}`,
    '',
  )
  if (spec.rollup !== undefined && node.l1Url !== undefined) lines.push(...bridgeLines(spec.rollup, node.l1Url, node.rpcUrl, node.devAccounts[1]))
  return `${lines.join('\n')}\n`
}

/** The L1 side of a --dev.l1 chain: its addresses and a deposit and a withdrawal with cast. */
function bridgeLines(rollup: RollupSpec, l1Url: string, l2Url: string, user: DevAccount | undefined): string[] {
  const you = user?.address ?? '<your address>'
  const key = user?.privateKey ?? '<your key>'
  return [
    'L1 (OP Standard Bridge, OPEN as gas token)',
    '==================',
    `L1 RPC:                 ${l1Url} (chain ${rollup.l1ChainId})`,
    `OPEN (L1 ERC-20):       ${rollup.gasPayingToken.address}`,
    `OptimismPortal:         ${rollup.depositContract}`,
    `L2OutputOracle:         ${rollup.l2OutputOracle}`,
    `SystemConfig:           ${rollup.systemConfig}`,
    `L1CrossDomainMessenger: ${rollup.l1CrossDomainMessenger}`,
    `L1StandardBridge:       ${rollup.l1StandardBridge}`,
    '',
    'Deposit 10 OPEN from L1 (it arrives as native OPEN on L2):',
    `  cast send ${rollup.gasPayingToken.address} "approve(address,uint256)" ${rollup.depositContract} 10ether --rpc-url ${l1Url} --private-key ${key}`,
    `  cast send ${rollup.depositContract} "depositERC20Transaction(address,uint256,uint256,uint64,bool,bytes)" ${you} 10ether 0 100000 false 0x --rpc-url ${l1Url} --private-key ${key}`,
    'Withdraw 1 OPEN to L1 (then prove and finalize on L1 once the proposer posted the output: README "Bridge"):',
    `  cast send ${PREDEPLOYS.L2ToL1MessagePasser} "initiateWithdrawal(address,uint256,bytes)" ${you} 100000 0x --value 1ether --rpc-url ${l2Url} --private-key ${key}`,
    '',
  ]
}
