import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Block } from '@ethereumjs/block'
import type { CustomCrypto } from '@ethereumjs/common'
import type { CustomPrecompile } from '@ethereumjs/evm'
import { bytesToHex, bytesToInt, equalsBytes, intToBytes } from '@ethereumjs/util'
import { pino } from 'pino'
import type { Logger } from 'pino'
import type { ChainSpec } from '../../genesis/index.ts'
import {
  OpenLedgerError,
  chainIdentity,
  chainParams,
  createChainCommon,
  computeGenesisBlock,
  createRuntimeVm,
  decodeBlock,
  defaultRuntimeVmOptions,
  defaultTxRulesOptions,
  readBlockParams,
  writeGenesisState,
} from '../../runtime/index.ts'
import type { ChainReader, TxRulesOptions } from '../../runtime/index.ts'
import { createFastCrypto } from '../crypto/index.ts'
import { createStateDb, dbGet, openDatabase } from '../db/index.ts'
import type { Database } from '../db/index.ts'
import { childLogger } from '../logger.ts'
import { CHAIN_ERROR } from './chainErrors.ts'
import { SCHEMA_VERSION, SCHEMA_VERSION_WITHOUT_LOG_BLOCKS, chainKeys, encodeNumber } from './chainKeys.ts'
import { LevelChain } from './levelChain.ts'
import { encodeReceipts } from './receiptCodec.ts'
import type { Chain } from './types.ts'

/** Options of {@link createChain}. */
export type ChainOptions = {
  /** node data directory; the LevelDB lives in `<dataDir>/chaindata` */
  dataDir: string
  spec: ChainSpec
  /** 'fast' = node/crypto (libsecp256k1 + hash-wasm), 'noble' = ethereumjs defaults, or a given CustomCrypto */
  crypto: 'fast' | 'noble' | CustomCrypto
  /** parent logger; logs as "node:chain" */
  logger?: Logger
  /** trie node LRU entries (node/db StateDb) */
  stateCacheSize: number
  /** decoded headers / blocks / receipt lists kept in memory */
  blockCacheSize: number
  /** static tx rules (EIP-155 requirement) for building and importing */
  txRules: TxRulesOptions
  /** runtime module precompiles */
  precompiles: CustomPrecompile[]
  /**
   * The sequencer's block sealer (node/sync sealBlockHash bound to its key and the chain id):
   * buildBlock stores sealer(hash) with each built block, in the block's batch. Undefined: built
   * blocks are stored unsealed (tests, tools).
   */
  sealer?: (blockHash: Uint8Array) => Uint8Array
}

/** Defaults of {@link ChainOptions} (all but dataDir and spec). */
export const defaultChainOptions = {
  crypto: 'fast',
  stateCacheSize: 200_000,
  // the BLOCKHASH window (256) plus headroom for RPC reads of recent blocks
  blockCacheSize: 512,
  txRules: defaultTxRulesOptions,
  precompiles: [] as CustomPrecompile[],
} as const satisfies Partial<ChainOptions>

const toHex = (b: Uint8Array): string => bytesToHex(b)

async function resolveCrypto(crypto: ChainOptions['crypto'], logger: Logger): Promise<CustomCrypto | undefined> {
  if (crypto === 'noble') return undefined
  if (crypto === 'fast') return (await createFastCrypto({ logger })).crypto
  return crypto
}

/**
 * Open (or initialise) the chain in `<dataDir>/chaindata`: one LevelDB holding blocks, headers,
 * receipts, the tx index, the log index (by address), archive state and the head pointer.
 * A fresh datadir gets the genesis state and block in one batch; an existing one must have been
 * created for the same genesis and chain spec (else CHAIN_ERROR_GENESIS_MISMATCH) and resumes at
 * its head. Every later block commits as one atomic batch, so a kill -9 at any point leaves the
 * last committed block as head with its full state.
 *
 * @example
 * const chain = await createChain({ ...defaultChainOptions, dataDir: './datadir', spec })
 * const { block } = await chain.buildBlock(pool.pendingForBlock(baseFee), { timestamp: BigInt(Math.floor(Date.now() / 1000)) })
 */
export async function createChain(options: Pick<ChainOptions, 'dataDir' | 'spec'> & Partial<ChainOptions>): Promise<Chain & { reader(): ChainReader }> {
  // an option passed as undefined (e.g. an unset CLI flag) keeps its default
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as typeof options
  const opts: ChainOptions = { ...defaultChainOptions, ...given }
  const rootLogger = opts.logger ?? pino({ level: 'silent' })
  const log = childLogger(rootLogger, 'node:chain')
  const { spec } = opts
  const customCrypto = await resolveCrypto(opts.crypto, rootLogger)
  const common = createChainCommon(spec, customCrypto === undefined ? {} : { customCrypto })

  // the expected genesis, computed in memory (the datadir's must be identical)
  const genesis = await computeGenesisBlock(spec, common)
  const genesisRoot = genesis.header.stateRoot
  const identity = chainIdentity(spec, genesis.hash())

  const path = join(opts.dataDir, 'chaindata')
  await mkdir(path, { recursive: true })
  const db = await openDatabase(path)
  try {
    const stateDb = createStateDb(db, { cacheSize: opts.stateCacheSize })
    const storedIdentity = await dbGet(db, chainKeys.identity)
    let head: Block
    let logBlocksFrom = 0n
    if (storedIdentity === undefined) {
      // fresh datadir (or a crash before the init batch landed): write genesis in one batch
      const init = await createRuntimeVm({ ...defaultRuntimeVmOptions, spec, common, chain: emptyReader, stateDb })
      const root = await writeGenesisState(init.stateManager, spec)
      if (!equalsBytes(root, genesisRoot)) {
        throw new OpenLedgerError(CHAIN_ERROR.CORRUPT, 'genesis state root differs between memory and LevelDB', {
          memory: toHex(genesisRoot),
          level: toHex(root),
        })
      }
      const hash = genesis.hash()
      const ops = stateDb.takeOperations()
      ops.push({ type: 'put', key: chainKeys.header(hash), value: genesis.header.serialize() })
      ops.push({ type: 'put', key: chainKeys.block(hash), value: genesis.serialize() })
      ops.push({ type: 'put', key: chainKeys.canonical(0n), value: hash })
      ops.push({ type: 'put', key: chainKeys.receipts(hash), value: encodeReceipts([]) })
      ops.push({ type: 'put', key: chainKeys.genesis, value: hash })
      ops.push({ type: 'put', key: chainKeys.schema, value: intToBytes(SCHEMA_VERSION) })
      ops.push({ type: 'put', key: chainKeys.logBlocksFrom, value: encodeNumber(0n) })
      ops.push({ type: 'put', key: chainKeys.head, value: hash })
      // identity last in the list, same batch: its presence means the init completed
      ops.push({ type: 'put', key: chainKeys.identity, value: identity })
      await db.batch(ops)
      stateDb.markCommitted()
      head = genesis
      log.info({ genesis: hash, chainId: spec.chainId }, 'chain initialised')
    } else {
      if (!equalsBytes(storedIdentity, identity)) {
        const storedGenesis = await dbGet(db, chainKeys.genesis)
        throw new OpenLedgerError(CHAIN_ERROR.GENESIS_MISMATCH, 'the datadir belongs to a different genesis or chain spec; use another --datadir', {
          dataDir: opts.dataDir,
          storedGenesis: storedGenesis === undefined ? undefined : toHex(storedGenesis),
          expectedGenesis: toHex(genesis.hash()),
        })
      }
      const schema = await storedSchema(db)
      const headHash = await dbGet(db, chainKeys.head)
      const headRaw = headHash === undefined ? undefined : await dbGet(db, chainKeys.block(headHash))
      if (headRaw === undefined) throw new OpenLedgerError(CHAIN_ERROR.CORRUPT, 'stored head block is missing', {})
      head = decodeBlock(headRaw, { common, params: chainParams(spec) })
      logBlocksFrom = await openLogBlocks(db, schema, head.header.number, log)
      log.info({ number: head.header.number, hash: head.hash() }, 'chain resumed')
    }
    let chain: LevelChain | undefined
    const reader: ChainReader = {
      getHeaderByHash: (hash) => (chain as LevelChain).reader().getHeaderByHash(hash),
      getHeaderByNumber: (number) => (chain as LevelChain).reader().getHeaderByNumber(number),
    }
    const runtime = await createRuntimeVm({
      ...defaultRuntimeVmOptions,
      spec,
      common,
      chain: reader,
      stateDb,
      stateRoot: head.header.stateRoot,
      precompiles: opts.precompiles,
    })
    const nextParams = await readBlockParams(runtime.stateManager, spec, head.header.number + 1n)
    chain = new LevelChain({ spec, common, db, stateDb, runtime, log, options: opts, head, nextParams, logBlocksFrom })
    return chain
  } catch (err) {
    await db.close()
    throw err
  }
}

/** The stored schema of an existing datadir: the current one or the one upgraded in place. */
async function storedSchema(db: Database): Promise<number> {
  const stored = await dbGet(db, chainKeys.schema)
  const schema = stored === undefined ? undefined : bytesToInt(stored)
  if (schema !== SCHEMA_VERSION && schema !== SCHEMA_VERSION_WITHOUT_LOG_BLOCKS) {
    throw new OpenLedgerError(CHAIN_ERROR.CORRUPT, 'unknown datadir storage schema', { schema })
  }
  return schema
}

/**
 * `logBlocksFrom` of an existing datadir. One of schema 1 (written before the log block entries)
 * is raised to the current schema first, in one write that records the block after the head as
 * the first with entries; log queries read the headers of the blocks before it.
 */
async function openLogBlocks(db: Database, schema: number, headNumber: bigint, log: Logger): Promise<bigint> {
  if (schema === SCHEMA_VERSION_WITHOUT_LOG_BLOCKS) {
    const from = headNumber + 1n
    await db.batch([
      { type: 'put', key: chainKeys.logBlocksFrom, value: encodeNumber(from) },
      { type: 'put', key: chainKeys.schema, value: intToBytes(SCHEMA_VERSION) },
    ])
    log.info({ from: schema, to: SCHEMA_VERSION, logBlocksFrom: from }, 'datadir schema upgraded: log queries read the headers of earlier blocks')
    return from
  }
  const from = await dbGet(db, chainKeys.logBlocksFrom)
  if (from === undefined || from.length !== 8) throw new OpenLedgerError(CHAIN_ERROR.CORRUPT, 'stored logBlocksFrom is missing or damaged', {})
  return new DataView(from.buffer, from.byteOffset, 8).getBigUint64(0)
}

const emptyReader: ChainReader = {
  getHeaderByHash: async () => undefined,
  getHeaderByNumber: async () => undefined,
}
