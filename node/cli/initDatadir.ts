import { resolve } from 'node:path'
import { bytesToHex } from '@noble/hashes/utils.js'
import { GENESIS_ERROR, GenesisError, loadChainSpec, loadRollupConfig } from '../../genesis/index.ts'
import type { ChainSpec } from '../../genesis/index.ts'
import { OpenLedgerError, computeGenesisBlock, createChainCommon } from '../../runtime/index.ts'
import { createChain } from '../chain/index.ts'
import { CONFIG_ERROR, resolveDatadirSpec } from '../config/index.ts'
import { createLogger } from '../logger.ts'
import { DEFAULT_DATADIR } from '../node.ts'
import type { NodeOptions } from '../node.ts'

/** Result of `openledger init`. */
export type InitResult = { datadir: string; spec: ChainSpec; created: boolean; genesisHash: string }

/** What `openledger init` takes besides the node's options. */
export type InitOptions = {
  /** an op-node rollup.json (--rollup-config): the spec gets its rollup section */
  rollupConfig?: string
}

/**
 * The --genesis spec with the rollup section of the rollup.json `file` (genesis/parseRollupConfig:
 * l2_chain_id, l2_time, block_time and gas limit must match the spec). A rollup.json that already
 * names its L2 genesis (`genesis.l2.hash` non-zero) must name this spec's genesis block, checked
 * in memory before the datadir is touched.
 */
async function withRollupConfig(genesis: string, file: string): Promise<ChainSpec> {
  const base = loadChainSpec(genesis)
  if (base.rollup !== undefined) {
    throw new OpenLedgerError(
      CONFIG_ERROR.CONFLICTING_OPTIONS,
      `invalid --rollup-config: --genesis ${genesis} already has a rollup section; drop --rollup-config`,
      {
        option: 'rollup-config',
      },
    )
  }
  const { rollup, l2GenesisHash } = loadRollupConfig(file, base)
  const spec: ChainSpec = { ...base, rollup }
  if (l2GenesisHash !== undefined) {
    const computed = `0x${bytesToHex((await computeGenesisBlock(spec, createChainCommon(spec))).hash())}`
    if (computed !== l2GenesisHash) {
      throw new GenesisError(
        GENESIS_ERROR.ROLLUP_MISMATCH,
        `${file}: genesis.l2.hash ${l2GenesisHash} is not the genesis of --genesis ${genesis} with this rollup config (${computed}); write ${computed}, or zero to take it as computed`,
        { file, path: 'genesis.l2.hash', given: l2GenesisHash, computed },
      )
    }
  }
  return spec
}

/**
 * `openledger init`: record the chain spec in the datadir and commit the genesis block to its
 * LevelDB, so a later `openledger node --datadir <dir>` needs no --genesis. With
 * `init.rollupConfig` the spec is --genesis plus the rollup.json's rollup section (an OP Stack L2
 * with its predeploys). Idempotent for the same spec; a different spec is refused (GENESIS_MISMATCH).
 */
export async function initDatadir(options: Partial<NodeOptions>, init: InitOptions = {}): Promise<InitResult> {
  if (options.genesis === undefined) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, 'invalid --genesis: "openledger init" needs --genesis <devnet|mainnet|file>', {
      option: 'genesis',
    })
  }
  const datadir = resolve(options.datadir ?? DEFAULT_DATADIR)
  const genesis = init.rollupConfig === undefined ? options.genesis : await withRollupConfig(options.genesis, init.rollupConfig)
  const { spec, created } = await resolveDatadirSpec(datadir, genesis)
  const logger = createLogger({ level: options.logLevel ?? 'warn', format: options.logFormat ?? 'json' })
  const chain = await createChain({ dataDir: datadir, spec, logger, crypto: options.crypto ?? 'fast' })
  try {
    return { datadir, spec, created, genesisHash: `0x${bytesToHex((await chain.getBlockByNumber(0n))!.hash())}` }
  } finally {
    await chain.close()
  }
}
