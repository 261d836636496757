import { resolve } from 'node:path'
import { bytesToHex } from '@noble/hashes/utils.js'
import type { ChainSpec } from '../../genesis/index.ts'
import { OpenLedgerError } from '../../runtime/index.ts'
import { createChain } from '../chain/index.ts'
import { CONFIG_ERROR, resolveDatadirSpec } from '../config/index.ts'
import { createLogger } from '../logger.ts'
import { DEFAULT_DATADIR } from '../node.ts'
import type { NodeOptions } from '../node.ts'

/** Result of `openledger init`. */
export type InitResult = { datadir: string; spec: ChainSpec; created: boolean; genesisHash: string }

/**
 * `openledger init`: record the chain spec in the datadir and commit the genesis block to its
 * LevelDB, so a later `openledger node --datadir <dir>` needs no --genesis. Idempotent for the
 * same spec; a different spec is refused (GENESIS_MISMATCH).
 */
export async function initDatadir(options: Partial<NodeOptions>): Promise<InitResult> {
  if (options.genesis === undefined) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, 'invalid --genesis: "openledger init" needs --genesis <devnet|mainnet|file>', {
      option: 'genesis',
    })
  }
  const datadir = resolve(options.datadir ?? DEFAULT_DATADIR)
  const { spec, created } = await resolveDatadirSpec(datadir, options.genesis)
  const logger = createLogger({ level: options.logLevel ?? 'warn', format: options.logFormat ?? 'json' })
  const chain = await createChain({ dataDir: datadir, spec, logger, crypto: options.crypto ?? 'fast' })
  try {
    return { datadir, spec, created, genesisHash: `0x${bytesToHex((await chain.getBlockByNumber(0n))!.hash())}` }
  } finally {
    await chain.close()
  }
}
