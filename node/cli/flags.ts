import { MAX_SCHEDULE_MONTHS } from '../../genesis/index.ts'

/** Commands of the `openledger` CLI. */
export const COMMANDS = ['node', 'init', 'supply', 'export', 'import', 'help', 'version'] as const
/** One of COMMANDS. */
export type Command = (typeof COMMANDS)[number]
/** The commands that take positional arguments (files, block numbers) after the command. */
export const POSITIONAL_COMMANDS: readonly Command[] = ['export', 'import']
/** The commands that take options (and have their own --help). */
export type OptionCommand = Exclude<Command, 'help' | 'version'>

/** How a flag's text is read. */
export const FLAG_TYPES = ['string', 'path', 'int', 'bool', 'enum', 'list', 'key', 'host', 'duration', 'time'] as const
/** One of FLAG_TYPES. */
export type FlagType = (typeof FLAG_TYPES)[number]

/** One CLI option. Its env var is OPENLEDGER_<GROUP>_<NAME> (see envVarName). */
export type FlagSpec = {
  /** dotted name without dashes: "rpc.port" */
  name: string
  type: FlagType
  /** placeholder in --help, e.g. "<port>" */
  valueName: string
  description: string
  /** the default, as --help shows it (defaults themselves live with the modules) */
  defaultText: string
  /** commands that accept it */
  commands: readonly OptionCommand[]
  /** int: smallest and largest value; duration: in milliseconds */
  min?: number
  max?: number
  choices?: readonly string[]
  /** never echo the value (keys) */
  secret?: boolean
}

/**
 * Every option of `openledger`. The CLI only parses and validates shapes; what a value means
 * and its default belong to the module that uses it (node/node.ts, rpc/, node/sequencer).
 */
export const FLAGS: readonly FlagSpec[] = [
  {
    name: 'config',
    type: 'path',
    valueName: '<file>',
    commands: ['node', 'init'],
    defaultText: 'none',
    description: 'JSON file of options: keys are flag names, flat ("rpc.port": 8546) or nested ("rpc": {"port": 8546})',
  },
  {
    name: 'datadir',
    type: 'path',
    valueName: '<dir>',
    commands: ['node', 'init', 'export', 'import'],
    defaultText: '~/.openledger (--dev: ./.openledger/dev)',
    description: 'data directory: LevelDB chain and state, chain spec, txpool journal',
  },
  {
    name: 'genesis',
    type: 'string',
    valueName: '<name|file>',
    commands: ['node', 'init', 'supply', 'export', 'import'],
    defaultText: "the datadir's spec (--dev: devnet; supply: required)",
    description: 'chain spec: built-in devnet or mainnet, or a path to our spec JSON or a geth-style genesis.json',
  },
  {
    name: 'rollup-config',
    type: 'path',
    valueName: '<file>',
    commands: ['init'],
    defaultText: 'none (a standalone chain)',
    description: "init: op-node rollup.json of an OP Stack L2 with OPEN as gas token; adds its rollup section (L1 contracts, predeploys) to --genesis's spec",
  },
  {
    name: 'dev',
    type: 'bool',
    valueName: '',
    commands: ['node'],
    defaultText: 'off',
    description: 'development node: devnet genesis, funded dev accounts printed with their keys, automine on',
  },
  {
    name: 'dev.l1',
    type: 'bool',
    valueName: '',
    commands: ['node'],
    defaultText: 'off',
    description:
      'with --dev: start anvil as L1, deploy the OP bridge contracts (OPEN as gas token), follow its deposits and propose outputs; L1 addresses and bridge commands printed',
  },
  {
    name: 'dev.automine',
    type: 'bool',
    valueName: 'on|off',
    commands: ['node'],
    defaultText: 'on with --dev, else off',
    description: 'also build a block as soon as transactions arrive (like anvil), besides every block time',
  },
  {
    name: 'rpc.addr',
    type: 'host',
    valueName: '<host>',
    commands: ['node'],
    defaultText: '127.0.0.1',
    description: 'JSON-RPC (HTTP and WebSocket) listen address: an IP address (0.0.0.0 = every interface) or a host name',
  },
  {
    name: 'rpc.port',
    type: 'int',
    valueName: '<port>',
    commands: ['node'],
    min: 0,
    max: 65535,
    defaultText: '8545',
    description: 'JSON-RPC listen port (0 picks a free port); /metrics is served on it too',
  },
  {
    name: 'rpc.cors',
    type: 'list',
    valueName: '<origins>',
    commands: ['node'],
    defaultText: 'none (--dev: *)',
    description: 'comma-separated origins allowed cross-origin ("*" = any)',
  },
  // JSON-RPC limits (rpc/server/rpcServer.ts limits); geth's names where geth has the setting
  {
    name: 'rpc.body.limit',
    type: 'int',
    valueName: '<bytes>',
    commands: ['node'],
    min: 1024,
    max: 1024 ** 3,
    defaultText: '5242880 (5 MiB)',
    description: 'largest JSON-RPC request body (HTTP) or message (WebSocket), bytes',
  },
  {
    name: 'rpc.batch-request-limit',
    type: 'int',
    valueName: '<n>',
    commands: ['node'],
    min: 1,
    max: 100_000,
    defaultText: '1000',
    description: 'most requests in one JSON-RPC batch (geth --rpc.batch-request-limit)',
  },
  {
    name: 'rpc.logs.range',
    type: 'int',
    valueName: '<blocks>',
    commands: ['node'],
    min: 1,
    max: 1_000_000_000,
    defaultText: '10000',
    description: 'widest block range of one eth_getLogs / log filter query',
  },
  {
    name: 'rpc.logs.limit',
    type: 'int',
    valueName: '<n>',
    commands: ['node'],
    min: 1,
    max: 10_000_000,
    defaultText: '10000',
    description: 'most logs one eth_getLogs / eth_getFilterLogs answer may carry',
  },
  {
    name: 'rpc.ws.subscriptions',
    type: 'int',
    valueName: '<n>',
    commands: ['node'],
    min: 1,
    max: 100_000,
    defaultText: '128',
    description: 'most eth_subscribe subscriptions per WebSocket connection',
  },
  {
    name: 'rpc.filters.limit',
    type: 'int',
    valueName: '<n>',
    commands: ['node'],
    min: 1,
    max: 10_000_000,
    defaultText: '10000',
    description: 'most installed polling filters (eth_newFilter ...) over all clients',
  },
  {
    name: 'rpc.evmtimeout',
    type: 'duration',
    valueName: '<duration>',
    commands: ['node'],
    min: 1,
    max: 3_600_000,
    defaultText: '30s',
    description: 'deadline of every JSON-RPC request, eth_call and eth_estimateGas included (e.g. 5s, 500ms); unlike geth, 0 is not "no limit"',
  },
  {
    name: 'rpc.gascap',
    type: 'int',
    valueName: '<gas>',
    commands: ['node'],
    min: 21_000,
    max: Number.MAX_SAFE_INTEGER,
    defaultText: '50000000',
    description: 'gas cap of eth_call, eth_estimateGas, eth_createAccessList and debug_traceCall (geth --rpc.gascap; 0 is not accepted)',
  },
  {
    name: 'rpc.call-workers',
    type: 'int',
    valueName: '<n>',
    commands: ['node'],
    min: 0,
    max: 64,
    defaultText: 'cores - 1, at most 8',
    description: 'worker threads that run eth_call and eth_estimateGas at the head (0 = all on the main thread)',
  },
  {
    name: 'block.time',
    type: 'int',
    valueName: '<seconds>',
    commands: ['node'],
    min: 1,
    max: 86_400,
    defaultText: "the spec's blockTime",
    description: 'seconds between sequencer blocks',
  },
  {
    name: 'role',
    type: 'enum',
    valueName: '<role>',
    commands: ['node'],
    choices: ['sequencer', 'validator'],
    defaultText: 'sequencer when the node holds the sequencer key (--sequencer.key, --dev), validator otherwise',
    description: "sequencer: builds, seals and publishes blocks; validator: never builds, re-executes every block it receives and forwards users' txs",
  },
  {
    name: 'p2p.enabled',
    type: 'bool',
    valueName: '',
    commands: ['node'],
    defaultText: 'on (--dev: off)',
    description: 'join the peer-to-peer network (libp2p: gossip of blocks and txs, range sync)',
  },
  {
    name: 'p2p.addr',
    type: 'host',
    valueName: '<ip>',
    commands: ['node'],
    defaultText: '0.0.0.0',
    description: 'p2p listen address (TCP)',
  },
  {
    name: 'p2p.port',
    type: 'int',
    valueName: '<port>',
    commands: ['node'],
    min: 0,
    max: 65_535,
    defaultText: '9222',
    description: 'p2p listen port (TCP); 0 picks a free one',
  },
  {
    name: 'p2p.bootnodes',
    type: 'list',
    valueName: '<multiaddr,...>',
    commands: ['node'],
    defaultText: 'none',
    description:
      'peers to connect to at start and redial when they drop: multiaddrs ending in /p2p/<peer id> (printed by a node at start and by admin_nodeInfo)',
  },
  {
    name: 'p2p.maxpeers',
    type: 'int',
    valueName: '<n>',
    commands: ['node'],
    min: 1,
    max: 1_000,
    defaultText: '50',
    description: 'most peer connections kept',
  },
  {
    name: 'sequencer.key',
    type: 'key',
    valueName: '<hex>',
    commands: ['node'],
    secret: true,
    defaultText: 'none (--dev: the devnet sequencer key)',
    description: 'sequencer private key (32-byte hex); prefer OPENLEDGER_SEQUENCER_KEY or a keystore',
  },
  {
    name: 'sequencer.keystore',
    type: 'path',
    valueName: '<file>',
    commands: ['node'],
    defaultText: 'none',
    description: 'sequencer key as a Web3 Secret Storage v3 keystore (scrypt or pbkdf2, aes-128-ctr)',
  },
  {
    name: 'sequencer.password',
    type: 'path',
    valueName: '<file>',
    commands: ['node'],
    defaultText: 'none',
    description: 'file whose first line is the keystore password',
  },
  {
    name: 'l1.rpc',
    type: 'string',
    valueName: '<url>',
    commands: ['node'],
    defaultText: 'none (--dev.l1: the anvil it starts)',
    description: "L1 JSON-RPC endpoint (http/https): a rollup chain's sequencer reads L1 origins and deposits from it, the proposer posts there",
  },
  {
    name: 'l1.confirmations',
    type: 'int',
    valueName: '<blocks>',
    commands: ['node'],
    min: 0,
    max: 10_000,
    defaultText: '4 (--dev.l1: 0)',
    description: 'L1 blocks on top of an L1 block before its deposits are included (reorgs shallower than this are never seen)',
  },
  {
    name: 'l1.poll-interval',
    type: 'duration',
    valueName: '<duration>',
    commands: ['node'],
    min: 100,
    max: 600_000,
    defaultText: '1s',
    description: 'how often the L1 head is read',
  },
  {
    name: 'proposer.key',
    type: 'key',
    valueName: '<hex>',
    commands: ['node'],
    secret: true,
    defaultText: 'none (no proposer; --dev.l1: the L1 deployer)',
    description: "L1 key of the L2OutputOracle proposer: post this chain's output roots to L1 (prefer OPENLEDGER_PROPOSER_KEY or a keystore)",
  },
  {
    name: 'proposer.keystore',
    type: 'path',
    valueName: '<file>',
    commands: ['node'],
    defaultText: 'none',
    description: 'proposer key as a Web3 Secret Storage v3 keystore',
  },
  {
    name: 'proposer.password',
    type: 'path',
    valueName: '<file>',
    commands: ['node'],
    defaultText: 'none',
    description: 'file whose first line is the proposer keystore password',
  },
  {
    name: 'proposer.interval',
    type: 'duration',
    valueName: '<duration>',
    commands: ['node'],
    min: 100,
    max: 86_400_000,
    defaultText: '6s (--dev.l1: 1s)',
    description: 'how often the proposer posts the output roots L2OutputOracle accepts next',
  },
  {
    name: 'log.level',
    type: 'enum',
    valueName: '<level>',
    commands: ['node', 'init', 'export', 'import'],
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    defaultText: 'info',
    description: 'log level',
  },
  {
    name: 'log.format',
    type: 'enum',
    valueName: '<format>',
    commands: ['node', 'init', 'export', 'import'],
    choices: ['text', 'json'],
    defaultText: 'text on a terminal, else json',
    description: 'log output: json lines (pino) or text for people',
  },
  // openledger supply: the unlock curve of the spec's tokenomics table (node/cli/renderSupply.ts)
  {
    name: 'at',
    type: 'time',
    valueName: '<date>',
    commands: ['supply'],
    defaultText: 'none (one row a month)',
    description: 'supply: one row for this instant: a UTC date (2026-09-08), an ISO timestamp with zone (2026-09-08T06:00:00Z) or unix seconds',
  },
  {
    name: 'months',
    type: 'int',
    valueName: '<n>',
    commands: ['supply'],
    min: 0,
    max: MAX_SCHEDULE_MONTHS,
    defaultText: 'to the last unlock',
    description: 'supply: rows for months 0..n after the TGE',
  },
  {
    name: 'json',
    type: 'bool',
    valueName: '',
    commands: ['supply'],
    defaultText: 'off',
    description: 'supply: print JSON (wei as decimal strings) instead of a table',
  },
  {
    name: 'metrics',
    type: 'bool',
    valueName: '',
    commands: ['node'],
    defaultText: 'on',
    description: 'serve Prometheus metrics at GET /metrics on the RPC port',
  },
]

/** The env var of a flag: OPENLEDGER_ + upper-case name with "." and "-" as "_" (rpc.port -> OPENLEDGER_RPC_PORT). */
export function envVarName(flag: string): string {
  return `OPENLEDGER_${flag.toUpperCase().replace(/[.-]/g, '_')}`
}

/** The FlagSpec of a name, or undefined. */
export function findFlag(name: string): FlagSpec | undefined {
  return FLAGS.find((f) => f.name === name)
}
