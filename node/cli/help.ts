import { FLAGS, envVarName } from './flags.ts'
import type { OptionCommand } from './flags.ts'

/** The positional arguments a command's usage line shows. */
const TOPIC_ARGS: Partial<Record<OptionCommand, string>> = { export: ' <file> [first] [last]', import: ' <file>...' }

/**
 * The --help text: usage, commands, and every flag of the topic (or all) with its env var and
 * default. Generated from FLAGS, so it cannot drift from the parser.
 */
export function renderHelp(topic?: OptionCommand): string {
  const lines: string[] = []
  if (topic === undefined) {
    lines.push(
      'openledger: L2 appchain node (OPEN gas, EVM on ethereumjs, LevelDB)',
      '',
      'Usage:',
      '  openledger [node] [options]          run a node (the default command)',
      '  openledger init --genesis <spec> [--rollup-config <rollup.json>] [--datadir <dir>]   create a datadir for a chain spec (an OP Stack L2 with --rollup-config)',
      "  openledger supply --genesis <spec> [--at <date> | --months <n>] [--json]   the spec's OPEN unlock curve",
      '  openledger export <file> [first] [last] [--datadir <dir>]   write blocks first..last (default 0..head) as concatenated RLP',
      '  openledger import <file>... [--datadir <dir>] [--genesis <spec>]   verify and import exported blocks (resumable; the node must be stopped)',
      '  openledger --version                 print the version',
      "  openledger [command] --help          this help, or one command's",
      '',
      'Quick start: openledger node --dev    (devnet, funded dev accounts, JSON-RPC on http://127.0.0.1:8545)',
      '',
    )
  } else {
    lines.push(`Usage: openledger ${topic}${TOPIC_ARGS[topic] ?? ''} [options]`, '')
  }
  lines.push('Options (each also as an env var; precedence: defaults < --config file < env < flags):')
  for (const flag of FLAGS) {
    if (topic !== undefined && !flag.commands.includes(topic)) continue
    const left = `  --${flag.name}${flag.valueName === '' ? '' : ` ${flag.valueName}`}`
    lines.push(`${left.padEnd(34)} ${flag.description}`)
    const scope = topic === undefined && flag.commands.length === 1 ? `; ${flag.commands[0]} only` : ''
    lines.push(`${''.padEnd(34)} env ${envVarName(flag.name)}; default: ${flag.defaultText}${scope}`)
  }
  lines.push(`${'  -h, --help'.padEnd(34)} show help`, `${'  -v, --version'.padEnd(34)} show the version`)
  return `${lines.join('\n')}\n`
}
