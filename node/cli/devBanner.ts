import { tokenomicsBalances } from '../../genesis/index.ts'
import type { Hex } from '../../genesis/index.ts'
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
  return `${lines.join('\n')}\n`
}
