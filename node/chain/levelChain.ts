import { EventEmitter } from 'node:events'
import { createBlockHeaderFromRLP } from '@ethereumjs/block'
import type { Block, BlockHeader } from '@ethereumjs/block'
import type { Common, ParamsDict } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToHex, bytesToInt, equalsBytes, intToBytes } from '@ethereumjs/util'
import type { Logger } from 'pino'
import type { ChainSpec } from '../../genesis/index.ts'
import {
  OpenLedgerError,
  buildLinearBlock,
  chainParams,
  createStateManager,
  decodeBlock,
  encodeBlock,
  encodeRlp,
  executeBlock,
  readBlockParams,
} from '../../runtime/index.ts'
import type { BlockParams, BuildResult, ChainReader, ExecutedBlock, RuntimeVm, StateNodeDb, TxReceipt, TxRulesOptions } from '../../runtime/index.ts'
import { NodeCache, dbGet } from '../db/index.ts'
import type { Database, DbOperation, StateDb } from '../db/index.ts'
import { CHAIN_ERROR } from './chainErrors.ts'
import { chainKeys } from './chainKeys.ts'
import { findLogs } from './findLogs.ts'
import type { LogSource } from './findLogs.ts'
import { encodeBlockStamp, encodeLogBlock } from './logBlockCodec.ts'
import { DEV_BALANCES_EXTRA_DATA, applyDevBalances } from './devBalances.ts'
import { decodeReceipts, encodeReceipts } from './receiptCodec.ts'
import type { BuildBlockOptions, Chain, ChainEvents, ImportBlockOptions, LocatedLog, LogFilter, TxLocation } from './types.ts'

/** What a LevelChain needs beyond its opened parts (a subset of ChainOptions). */
export type LevelChainSettings = {
  /** decoded headers / blocks / receipt lists kept in memory */
  blockCacheSize: number
  /** static tx rules for building and importing */
  txRules: TxRulesOptions
  /** seals each built block (ChainOptions.sealer) */
  sealer?: (blockHash: Uint8Array) => Uint8Array
}

const toHex = (b: Uint8Array): string => bytesToHex(b)

/** Serializes async critical sections (build / import / close) in call order. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn)
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }
}

/**
 * The LevelDB-backed Chain over an opened database, state store and runtime VM at `head`.
 * Built by createChain (which opens or initialises the datadir); see node/chain/README.md.
 */
export class LevelChain implements Chain {
  readonly spec: ChainSpec
  readonly common: Common
  readonly #db: Database
  readonly #stateDb: StateDb
  readonly #runtime: RuntimeVm
  readonly #log: Logger
  readonly #options: LevelChainSettings
  readonly #blockOpts: { common: Common; params: ParamsDict }
  readonly #events = new EventEmitter()
  readonly #mutex = new Mutex()
  readonly #headers: NodeCache<BlockHeader>
  readonly #blocks: NodeCache<Block>
  readonly #receipts: NodeCache<TxReceipt[]>
  readonly #logSource: LogSource
  #head: Block
  #nextParams: BlockParams
  #closed = false

  constructor(args: {
    spec: ChainSpec
    common: Common
    db: Database
    stateDb: StateDb
    runtime: RuntimeVm
    log: Logger
    options: LevelChainSettings
    head: Block
    /** the governed parameters of the block after `head` (readBlockParams of the head state) */
    nextParams: BlockParams
    /** the first block from which every block with logs has its log block entry (chainKeys.logBlocksFrom) */
    logBlocksFrom: bigint
  }) {
    this.spec = args.spec
    this.common = args.common
    this.#db = args.db
    this.#stateDb = args.stateDb
    this.#runtime = args.runtime
    this.#log = args.log
    this.#options = args.options
    this.#head = args.head
    this.#nextParams = args.nextParams
    this.#blockOpts = { common: args.common, params: chainParams(args.spec) }
    this.#headers = new NodeCache(args.options.blockCacheSize)
    this.#blocks = new NodeCache(Math.max(1, Math.floor(args.options.blockCacheSize / 8)))
    this.#receipts = new NodeCache(Math.max(1, Math.floor(args.options.blockCacheSize / 8)))
    this.#headers.set(toHex(args.head.hash()), args.head.header)
    this.#logSource = {
      db: this.#db,
      logBlocksFrom: args.logBlocksFrom,
      corrupt: (what, meta, cause) => this.#corrupt(what, meta, cause),
    }
  }

  head(): Block {
    return this.#head
  }

  nextBlockParams(): BlockParams {
    return this.#nextParams
  }

  /** The ChainReader port the runtime VM uses (parent lookup, BLOCKHASH). */
  reader(): ChainReader {
    return {
      getHeaderByHash: (hash) => this.#getHeader(hash),
      getHeaderByNumber: async (number) => {
        const hash = await this.#canonicalHash(number)
        return hash === undefined ? undefined : this.#getHeader(hash)
      },
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new OpenLedgerError(CHAIN_ERROR.CLOSED, 'the chain is closed', {})
  }

  #corrupt(what: string, meta: Record<string, unknown>, cause?: unknown): OpenLedgerError {
    return new OpenLedgerError(CHAIN_ERROR.CORRUPT, `stored ${what} is missing or damaged`, meta, cause === undefined ? undefined : { cause })
  }

  async #canonicalHash(number: bigint): Promise<Uint8Array | undefined> {
    if (number < 0n || number > this.#head.header.number) return undefined
    if (number === this.#head.header.number) return this.#head.hash()
    return dbGet(this.#db, chainKeys.canonical(number))
  }

  async #getHeader(hash: Uint8Array): Promise<BlockHeader | undefined> {
    const key = toHex(hash)
    const cached = this.#headers.get(key)
    if (cached !== undefined) return cached
    const raw = await dbGet(this.#db, chainKeys.header(hash))
    if (raw === undefined) return undefined
    let header: BlockHeader
    try {
      header = createBlockHeaderFromRLP(raw, this.#blockOpts)
    } catch (cause) {
      throw this.#corrupt('header', { hash: key }, cause)
    }
    this.#headers.set(key, header)
    return header
  }

  async getHeaderByHash(hash: Uint8Array): Promise<BlockHeader | undefined> {
    this.#assertOpen()
    return this.#getHeader(hash)
  }

  async getBlockByHash(hash: Uint8Array): Promise<Block | undefined> {
    this.#assertOpen()
    const key = toHex(hash)
    if (equalsBytes(hash, this.#head.hash())) return this.#head
    const cached = this.#blocks.get(key)
    if (cached !== undefined) return cached
    const raw = await dbGet(this.#db, chainKeys.block(hash))
    if (raw === undefined) return undefined
    let block: Block
    try {
      block = decodeBlock(raw, this.#blockOpts)
    } catch (cause) {
      throw this.#corrupt('block', { hash: key }, cause)
    }
    this.#blocks.set(key, block)
    return block
  }

  async getBlockByNumber(number: bigint): Promise<Block | undefined> {
    const hash = await this.#canonicalHash(number)
    return hash === undefined ? undefined : this.getBlockByHash(hash)
  }

  async getBlockRlp(number: bigint): Promise<{ hash: Uint8Array; rlp: Uint8Array } | undefined> {
    this.#assertOpen()
    const hash = await this.#canonicalHash(number)
    if (hash === undefined) return undefined
    const rlp = await dbGet(this.#db, chainKeys.block(hash))
    if (rlp === undefined) throw this.#corrupt('block', { hash: toHex(hash) })
    return { hash, rlp }
  }

  async getReceipts(blockHash: Uint8Array): Promise<TxReceipt[] | undefined> {
    this.#assertOpen()
    const key = toHex(blockHash)
    const cached = this.#receipts.get(key)
    if (cached !== undefined) return cached
    const raw = await dbGet(this.#db, chainKeys.receipts(blockHash))
    if (raw === undefined) return undefined
    let receipts: TxReceipt[]
    try {
      receipts = decodeReceipts(raw, this.common)
    } catch (cause) {
      throw this.#corrupt('receipts', { hash: key }, cause)
    }
    this.#receipts.set(key, receipts)
    return receipts
  }

  async getTxLocation(txHash: Uint8Array): Promise<TxLocation | undefined> {
    this.#assertOpen()
    const raw = await dbGet(this.#db, chainKeys.tx(txHash))
    if (raw === undefined) return undefined
    const decoded = RLP.decode(raw)
    if (!Array.isArray(decoded) || decoded.length !== 3 || !decoded.every((v) => v instanceof Uint8Array)) {
      throw this.#corrupt('tx index entry', { txHash: toHex(txHash) })
    }
    const [blockHash, number, index] = decoded as Uint8Array[]
    return { blockHash: blockHash as Uint8Array, blockNumber: bytesToBigInt(number as Uint8Array), index: bytesToInt(index as Uint8Array) }
  }

  async getLogs(filter: LogFilter): Promise<LocatedLog[]> {
    this.#assertOpen()
    const from = filter.fromBlock < 0n ? 0n : filter.fromBlock
    const to = filter.toBlock > this.#head.header.number ? this.#head.header.number : filter.toBlock
    if (to < from) return []
    return findLogs(this.#logSource, filter, from, to)
  }

  async stateAt(blockNumber: bigint): Promise<MerkleStateManager> {
    this.#assertOpen()
    const hash = await this.#canonicalHash(blockNumber)
    const header = hash === undefined ? undefined : await this.#getHeader(hash)
    if (header === undefined) {
      throw new OpenLedgerError(CHAIN_ERROR.UNKNOWN_BLOCK, 'no canonical block with this number', { number: blockNumber.toString() })
    }
    return createStateManager({ common: this.common, stateDb: this.#stateDb.readOnlyView(), stateRoot: header.stateRoot, trieCacheSize: 0 })
  }

  async getSeal(hash: Uint8Array): Promise<Uint8Array | undefined> {
    this.#assertOpen()
    return dbGet(this.#db, chainKeys.seal(hash))
  }

  decodeBlock(raw: Uint8Array): Block {
    return decodeBlock(raw, this.#blockOpts)
  }

  stateNodes(): StateNodeDb {
    return this.#stateDb.readOnlyView()
  }

  buildBlock(txs: Iterable<TypedTransaction>, opts: BuildBlockOptions): Promise<BuildResult> {
    return this.#mutex.run(async () => {
      this.#assertOpen()
      const parent = this.#head
      let result: BuildResult
      try {
        // --dev balances go onto the parent state the block starts from; its root includes them
        if (opts.devBalances !== undefined) await applyDevBalances(this.#runtime.stateManager, opts.devBalances)
        result = await buildLinearBlock(this.#runtime, parent.header, txs, {
          timestamp: opts.timestamp,
          extraData: opts.devBalances === undefined ? new Uint8Array(0) : DEV_BALANCES_EXTRA_DATA,
          txRules: this.#options.txRules,
          ...(opts.deposits === undefined ? {} : { deposits: opts.deposits }),
        })
        await this.#commit(result, this.#options.sealer?.(result.block.hash()))
      } catch (err) {
        await this.#resetToHead()
        throw err
      }
      this.#log.debug({ number: result.block.header.number, txs: result.block.transactions.length, rejected: result.rejected.length }, 'block built')
      this.#emitHead(result)
      return result
    })
  }

  importBlock(block: Block, opts: ImportBlockOptions = {}): Promise<ExecutedBlock> {
    return this.#mutex.run(async () => {
      this.#assertOpen()
      const hash = block.hash()
      const known = await dbGet(this.#db, chainKeys.header(hash))
      if (known !== undefined) {
        const stored = await this.getBlockByHash(hash)
        const receipts = await this.getReceipts(hash)
        if (stored === undefined || receipts === undefined) throw this.#corrupt('block', { hash: toHex(hash) })
        // a block imported unsealed (openledger import) gets its seal when sync brings it again
        if (opts.seal !== undefined && (await dbGet(this.#db, chainKeys.seal(hash))) === undefined) {
          await this.#db.put(chainKeys.seal(hash), opts.seal)
        }
        return { block: stored, receipts }
      }
      if (!equalsBytes(block.header.parentHash, this.#head.hash())) {
        throw new OpenLedgerError(CHAIN_ERROR.NOT_HEAD_CHILD, 'block does not extend the current head', {
          number: block.header.number.toString(),
          head: this.#head.header.number.toString(),
        })
      }
      let executed: ExecutedBlock
      try {
        executed = await executeBlock(this.#runtime, block, { txRules: this.#options.txRules })
        await this.#commit(executed, opts.seal)
      } catch (err) {
        await this.#resetToHead()
        throw err
      }
      this.#log.debug({ number: block.header.number, txs: block.transactions.length }, 'block imported')
      this.#emitHead(executed)
      return executed
    })
  }

  rewindTo(hash: Uint8Array): Promise<Block> {
    return this.#mutex.run(async () => {
      this.#assertOpen()
      const target = await this.getBlockByHash(hash)
      const canonical = target === undefined ? undefined : await this.#canonicalHash(target.header.number)
      if (target === undefined || canonical === undefined || !equalsBytes(canonical, hash)) {
        throw new OpenLedgerError(CHAIN_ERROR.UNKNOWN_BLOCK, 'no canonical block with this hash', { hash: toHex(hash) })
      }
      const ops: DbOperation[] = []
      const removed: string[] = []
      for (let number = this.#head.header.number; number > target.header.number; number--) {
        const blockHash = await this.#canonicalHash(number)
        const receipts = blockHash === undefined ? undefined : await this.getReceipts(blockHash)
        if (blockHash === undefined || receipts === undefined) throw this.#corrupt('block', { number: number.toString() })
        ops.push({ type: 'del', key: chainKeys.header(blockHash) })
        ops.push({ type: 'del', key: chainKeys.block(blockHash) })
        ops.push({ type: 'del', key: chainKeys.canonical(number) })
        ops.push({ type: 'del', key: chainKeys.receipts(blockHash) })
        ops.push({ type: 'del', key: chainKeys.logBlock(number) })
        ops.push({ type: 'del', key: chainKeys.seal(blockHash) })
        for (const r of receipts) {
          ops.push({ type: 'del', key: chainKeys.tx(r.txHash) })
          for (const l of r.logs) ops.push({ type: 'del', key: chainKeys.log(l.address, number, l.logIndex) })
        }
        removed.push(toHex(blockHash))
      }
      // the head pointer moves in the same batch: after a crash the old head with all its blocks, or the new one without them
      ops.push({ type: 'put', key: chainKeys.head, value: hash })
      await this.#db.batch(ops)
      for (const key of removed) {
        this.#headers.delete(key)
        this.#blocks.delete(key)
        this.#receipts.delete(key)
      }
      this.#head = target
      await this.#resetToHead()
      this.#nextParams = await readBlockParams(this.#runtime.stateManager, this.spec, target.header.number + 1n)
      this.#log.info({ number: target.header.number, hash: toHex(hash), removed: removed.length }, 'chain rewound')
      this.#emit('rewind', target, target.header.number)
      return target
    })
  }

  /**
   * Persist a block, its state, receipts, indexes (log block entry if it has logs), its seal (if
   * any) and the new head as ONE atomic batch.
   */
  async #commit(executed: ExecutedBlock, seal: Uint8Array | undefined): Promise<void> {
    const { block, receipts } = executed
    const hash = block.hash()
    const number = block.header.number
    // only the trie nodes reachable from the new root are persisted: the flat state backend writes
    // no others; after the merkle backend's eager writes, node/db reachablePendingNodes selects them
    const ops: DbOperation[] = this.#stateDb.takeOperations(this.#runtime.stateBackend === 'flat' ? undefined : block.header.stateRoot)
    ops.push({ type: 'put', key: chainKeys.header(hash), value: block.header.serialize() })
    ops.push({ type: 'put', key: chainKeys.block(hash), value: encodeBlock(block) })
    ops.push({ type: 'put', key: chainKeys.canonical(number), value: hash })
    ops.push({ type: 'put', key: chainKeys.receipts(hash), value: encodeReceipts(receipts) })
    if (seal !== undefined) ops.push({ type: 'put', key: chainKeys.seal(hash), value: seal })
    // log queries: the block's stamp with each address index entry, its bloom in a log block entry
    const stamp = { hash, timestamp: block.header.timestamp }
    if (receipts.some((r) => r.logs.length > 0))
      ops.push({ type: 'put', key: chainKeys.logBlock(number), value: encodeLogBlock({ ...stamp, logsBloom: block.header.logsBloom }) })
    const stampBytes = encodeBlockStamp(stamp)
    const numberBytes = bigIntToUnpaddedBytes(number)
    for (const r of receipts) {
      ops.push({ type: 'put', key: chainKeys.tx(r.txHash), value: encodeRlp([hash, numberBytes, intToBytes(r.txIndex)]) })
      for (const l of r.logs) ops.push({ type: 'put', key: chainKeys.log(l.address, number, l.logIndex), value: stampBytes })
    }
    // the head pointer moves in the same batch: after a crash either all of this block is there or none
    ops.push({ type: 'put', key: chainKeys.head, value: hash })
    await this.#db.batch(ops)
    this.#stateDb.markCommitted()
    this.#head = block
    this.#headers.set(toHex(hash), block.header)
    this.#receipts.set(toHex(hash), receipts)
    // the runtime's state is the new head's post-state: it holds the next block's parameters
    this.#nextParams = await readBlockParams(this.#runtime.stateManager, this.spec, number + 1n)
  }

  /** After a failed build/import: drop uncommitted writes, put the VM back on the head state. */
  async #resetToHead(): Promise<void> {
    this.#stateDb.discardPending()
    await this.#runtime.stateManager.setStateRoot(this.#head.header.stateRoot, true)
  }

  #emitHead(executed: ExecutedBlock): void {
    this.#emit('head', executed, executed.block.header.number)
  }

  #emit<E extends keyof ChainEvents>(event: E, arg: Parameters<ChainEvents[E]>[0], number: bigint): void {
    try {
      this.#events.emit(event, arg)
    } catch (err) {
      this.#log.error({ err, number, event }, 'chain listener threw')
    }
  }

  on<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): void {
    this.#events.on(event, listener)
  }

  off<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): void {
    this.#events.off(event, listener)
  }

  close(): Promise<void> {
    return this.#mutex.run(async () => {
      if (this.#closed) return
      this.#closed = true
      this.#events.removeAllListeners()
      await this.#db.close()
    })
  }
}
