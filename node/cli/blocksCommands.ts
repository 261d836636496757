import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { bytesToHex } from '@ethereumjs/util'
import { OpenLedgerError, isCodedError } from '../../runtime/index.ts'
import { createChain } from '../chain/index.ts'
import type { Logger } from 'pino'
import type { Chain } from '../chain/index.ts'
import { resolveDatadirSpec } from '../config/index.ts'
import { createLogger } from '../logger.ts'
import { DEFAULT_DATADIR } from '../node.ts'
import type { NodeOptions } from '../node.ts'
import { SYNC_ERROR, createProgress, exportBlocks, importBlocks } from '../sync/index.ts'
import type { ProgressStream } from '../sync/index.ts'
import { CONFIG_ERROR } from './errors.ts'

/** What export / import print and read besides their options. */
export type BlocksCommandIo = {
  stdout: (text: string) => void
  /** the progress bar's stream (stderr) */
  progressStream: ProgressStream
  /** true once the user asked to stop (Ctrl-C): import stops after the current block */
  stopRequested: () => boolean
}

const usage = (problem: string): OpenLedgerError => new OpenLedgerError(CONFIG_ERROR.INVALID_OPTION, problem, { option: 'arguments' })

/** A block number argument: a non-negative decimal integer. */
function blockNumberArg(text: string, name: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw usage(`invalid ${name} block "${text}": must be a block number (0, 1, 2, ...)`)
  return BigInt(text)
}

/** `openledger export <file> [first] [last]` arguments. */
export function parseExportArgs(args: readonly string[]): { file: string; first?: bigint; last?: bigint } {
  if (args.length < 1 || args.length > 3) throw usage('usage: openledger export <file> [first] [last]')
  const [file, first, last] = args as [string, string | undefined, string | undefined]
  return {
    file,
    ...(first === undefined ? {} : { first: blockNumberArg(first, 'first') }),
    ...(last === undefined ? {} : { last: blockNumberArg(last, 'last') }),
  }
}

/** `openledger import <file>...` arguments: every file must exist. */
export function parseImportArgs(args: readonly string[]): { files: string[] } {
  if (args.length < 1) throw usage('usage: openledger import <file>...')
  for (const file of args) if (!existsSync(file)) throw usage(`import file ${file} does not exist`)
  return { files: [...args] }
}

/**
 * Open the datadir's chain for export / import: its spec (chainspec.json, or --genesis for a fresh
 * datadir), its LevelDB. A datadir a running node holds (LevelDB lock) is SYNC_ERROR_DATADIR_IN_USE.
 */
async function openChain(options: Partial<NodeOptions>, mustExist: boolean): Promise<{ chain: Chain; logger: Logger }> {
  const datadir = resolve(options.datadir ?? DEFAULT_DATADIR)
  if (mustExist && !existsSync(join(datadir, 'chaindata'))) {
    throw new OpenLedgerError(CONFIG_ERROR.DATADIR_NOT_INITIALISED, `datadir ${datadir} has no chain to export (pass --datadir)`, {
      option: 'datadir',
      datadir,
    })
  }
  const { spec } = await resolveDatadirSpec(datadir, options.genesis)
  const logger = createLogger({ level: options.logLevel ?? 'info', format: options.logFormat ?? 'json' })
  try {
    return { chain: await createChain({ dataDir: datadir, spec, logger, crypto: options.crypto ?? 'fast' }), logger }
  } catch (err) {
    // classic-level: LEVEL_DATABASE_NOT_OPEN caused by LEVEL_LOCKED when another process holds the LOCK file
    const cause = (err as { cause?: unknown }).cause
    if (isCodedError(err) && err.code === 'LEVEL_DATABASE_NOT_OPEN' && isCodedError(cause) && cause.code === 'LEVEL_LOCKED') {
      throw new OpenLedgerError(SYNC_ERROR.DATADIR_IN_USE, `datadir ${datadir} is in use by another process (stop the node first)`, { datadir }, { cause: err })
    }
    throw err
  }
}

/** `openledger export`: write the chain's blocks as concatenated RLP; prints what it wrote. */
export async function runExport(args: readonly string[], options: Partial<NodeOptions>, io: BlocksCommandIo): Promise<void> {
  const parsed = parseExportArgs(args)
  const { chain, logger } = await openChain(options, true)
  try {
    const progress = createProgress({ logger, label: 'export', stream: io.progressStream })
    const result = await exportBlocks({ chain, ...parsed, progress })
    io.stdout(`exported blocks ${result.first}..${result.last} (${result.blocks} blocks, ${result.bytes} bytes) to ${parsed.file}\n`)
  } finally {
    await chain.close()
  }
}

/** `openledger import`: verify and import export files; prints the new head. Throws on the first bad block (those before it stay). */
export async function runImport(args: readonly string[], options: Partial<NodeOptions>, io: BlocksCommandIo): Promise<void> {
  const { files } = parseImportArgs(args)
  const { chain, logger } = await openChain(options, false)
  try {
    const progress = createProgress({ logger, label: 'import', stream: io.progressStream })
    const result = await importBlocks({ chain, files, progress, stopRequested: io.stopRequested })
    const head = chain.head()
    io.stdout(
      `${result.stopped ? 'stopped: ' : ''}imported ${result.imported} blocks (${result.txs} txs), skipped ${result.skipped} already present; ` +
        `head ${head.header.number} ${bytesToHex(head.hash())} state root ${bytesToHex(head.header.stateRoot)}\n`,
    )
  } finally {
    await chain.close()
  }
}
