import { readFileSync } from 'node:fs'
import { isCodedError } from '../../runtime/index.ts'
import { chainSpecHash } from '../../genesis/index.ts'
import type { Node } from '../node.ts'
import type { OptionCommand } from './flags.ts'
import { renderHelp } from './help.ts'
import { parseCli } from './parseCli.ts'
import type { CliValues } from './parseCli.ts'
import { renderSupply, toSupplyOptions } from './renderSupply.ts'
import { toNodeOptions } from './toNodeOptions.ts'
import { renderVersion } from './version.ts'

/** Exit codes of the CLI. */
export const EXIT = {
  OK: 0,
  /** the node failed at run time */
  FAILURE: 1,
  /** invalid options, chain spec or datadir (nothing was started) */
  USAGE: 2,
} as const

/** What main() talks to (injectable for tests). */
export type MainIo = {
  argv: readonly string[]
  env: Record<string, string | undefined>
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** resolves when the process is asked to stop (SIGINT / SIGTERM) */
  stopSignal: () => Promise<string>
  stdoutIsTty: boolean
  /** export / import draw their progress bar on stderr when it is a terminal */
  stderrIsTty?: boolean
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * Option/spec problems a user fixes by changing the command line (exit 2), by error code domain.
 * `extraCodes`: codes of modules loaded lazily (node/chain's genesis mismatch), passed in by the
 * caller once it has loaded them.
 */
function isUsageError(err: unknown, extraCodes: readonly string[] = []): boolean {
  return isCodedError(err) && (/^(CONFIG|GENESIS)_ERROR_/.test(err.code) || extraCodes.includes(err.code))
}

/** Codes of lazily loaded modules that are usage errors: a datadir of another chain. */
async function lazyUsageCodes(): Promise<string[]> {
  const { CHAIN_ERROR } = await import('../chain/index.ts')
  return [CHAIN_ERROR.GENESIS_MISMATCH]
}

/**
 * Run the `openledger` CLI: parse (parseCli; precedence: defaults < --config file < env < flags), then
 * `node` (run until SIGINT/SIGTERM, then shut down cleanly), `init`, `supply`, `export`, `import`,
 * `help` or `version`.
 * Returns the exit code.
 */
export async function main(io: MainIo): Promise<number> {
  let command: ReturnType<typeof parseCli>['command']
  let values: CliValues
  let helpTopic: OptionCommand | undefined
  let args: string[] = []
  try {
    const parsed = parseCli(io.argv, { env: io.env, readFile: (p) => readFileSyncUtf8(p) })
    command = parsed.command
    values = parsed.values
    helpTopic = parsed.helpTopic
    args = parsed.args ?? []
  } catch (err) {
    io.stderr(`openledger: ${describe(err)}\n`)
    return isUsageError(err) ? EXIT.USAGE : EXIT.FAILURE
  }
  if (command === 'help') {
    io.stdout(renderHelp(helpTopic))
    return EXIT.OK
  }
  if (command === 'version') {
    io.stdout(renderVersion())
    return EXIT.OK
  }
  if (command === 'supply') {
    try {
      io.stdout(renderSupply(toSupplyOptions(values)))
      return EXIT.OK
    } catch (err) {
      io.stderr(`openledger: ${describe(err)}\n`)
      return isUsageError(err) ? EXIT.USAGE : EXIT.FAILURE
    }
  }
  const options = toNodeOptions(values)
  // a person at a terminal reads text; anything else (files, log shippers) gets JSON lines
  options.logFormat ??= io.stdoutIsTty ? 'text' : 'json'

  // the node's modules (ethereumjs, LevelDB, RPC) load only now: --help, --version and option
  // errors answer without paying for them
  if (command === 'init') {
    try {
      const { initDatadir } = await import('./initDatadir.ts')
      const result = await initDatadir(options, { rollupConfig: values['rollup-config'] as string | undefined })
      const rollup = result.spec.rollup
      const l2 =
        rollup === undefined ? '' : `; OP Stack L2 on L1 chain ${rollup.l1ChainId} from L1 block ${rollup.l1Genesis.number}, L2 genesis ${result.genesisHash}`
      io.stdout(
        `${result.created ? 'initialised' : 'already initialised'} ${result.datadir} for chain "${result.spec.name}" ` +
          `(chainId ${result.spec.chainId}, spec ${chainSpecHash(result.spec)}, genesis ${result.genesisHash})${l2}\n`,
      )
      return EXIT.OK
    } catch (err) {
      io.stderr(`openledger: ${describe(err)}\n`)
      return isUsageError(err, await lazyUsageCodes()) ? EXIT.USAGE : EXIT.FAILURE
    }
  }

  if (command === 'export' || command === 'import') {
    let stop = false
    void io.stopSignal().then(() => {
      stop = true
    })
    try {
      const { runExport, runImport } = await import('./blocksCommands.ts')
      const blocksIo = { stdout: io.stdout, progressStream: { write: io.stderr, isTTY: io.stderrIsTty === true }, stopRequested: () => stop }
      await (command === 'export' ? runExport(args, options, blocksIo) : runImport(args, options, blocksIo))
      return EXIT.OK
    } catch (err) {
      io.stderr(`openledger: ${describe(err)}\n`)
      return isUsageError(err, await lazyUsageCodes()) ? EXIT.USAGE : EXIT.FAILURE
    }
  }

  const [{ createNode }, { childLogger }, { renderDevBanner }] = await Promise.all([import('../node.ts'), import('../logger.ts'), import('./devBanner.ts')])
  let node: Node
  try {
    node = await createNode(options)
  } catch (err) {
    io.stderr(`openledger: ${describe(err)}\n`)
    return isUsageError(err, await lazyUsageCodes()) ? EXIT.USAGE : EXIT.FAILURE
  }
  const stopped = io.stopSignal()
  if (options.dev === true) io.stdout(renderDevBanner(node))
  node.start()
  const signal = await stopped
  childLogger(node.logger, 'node:cli').info({ signal }, 'stop requested')
  try {
    await node.close()
  } catch (err) {
    io.stderr(`openledger: shutdown failed: ${describe(err)}\n`)
    return EXIT.FAILURE
  }
  return EXIT.OK
}

function readFileSyncUtf8(path: string): string {
  return readFileSync(path, 'utf8')
}

/**
 * Entry point of the `openledger` bin (node/cli/openledger.js): real argv, env, stdio and signals.
 * A second Ctrl-C during shutdown exits at once with 130.
 */
export async function run(): Promise<void> {
  const stopSignal = (): Promise<string> =>
    new Promise((resolve) => {
      let asked = false
      const onSignal = (signal: NodeJS.Signals): void => {
        if (asked) {
          process.stderr.write('openledger: forced exit\n')
          process.exit(130)
        }
        asked = true
        resolve(signal)
      }
      process.on('SIGINT', onSignal)
      process.on('SIGTERM', onSignal)
    })
  const code = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stopSignal,
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
  })
  process.exitCode = code
  // everything is closed; if a stray handle would keep the process alive, do not hang the terminal
  setTimeout(() => process.exit(code), 5_000).unref()
  process.removeAllListeners('SIGINT')
  process.removeAllListeners('SIGTERM')
}
