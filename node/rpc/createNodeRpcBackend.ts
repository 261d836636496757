import { EventEmitter } from 'node:events'
import type { Block } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { CustomPrecompile } from '@ethereumjs/evm'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { getMerkleStateProof } from '@ethereumjs/statemanager'
import type { TypedTransaction } from '@ethereumjs/tx'
import { createAddressFromString } from '@ethereumjs/util'
import type { Logger } from 'pino'
import { HeadResults, createCallSimulator, createDecodeCommon, headCallKey, isPlainHeadCall, moduleInfos } from '../../runtime/index.ts'
import type { ExecutedBlock } from '../../runtime/index.ts'
import { createDevSigner, toHex, toQuantity } from '../../rpc/index.ts'
import type {
  CallResult,
  DevControls,
  DevKey,
  DevSigner,
  RpcAccount,
  RpcAccountProof,
  RpcBackend,
  RpcBackendEvents,
  RpcNodeInfo,
  RpcPeerInfo,
  RpcPooledTx,
  StateAt,
} from '../../rpc/index.ts'
import type { Chain } from '../chain/index.ts'
import { createBlockClock } from '../sequencer/index.ts'
import { packageVersion } from '../version.ts'
import type { PooledTx, TxPool } from '../txpool/index.ts'
import { createCallWorkerPool } from './callWorkerPool.ts'
import type { CallWorkerPool } from './callWorkerPool.ts'
import { chunkedLogQuery } from './chunkedLogQuery.ts'
import { createRollupNode } from './rollupNode.ts'
import type { RollupL1View } from './rollupNode.ts'
import { stateAt } from './stateOfBlock.ts'

/** Options of {@link createNodeRpcBackend}. */
export type NodeRpcBackendOptions = {
  chain: Chain
  txpool: TxPool
  logger: Logger
  /** dev accounts whose keys sign eth_sendTransaction / eth_sign (only with --dev; empty otherwise) */
  devAccounts: readonly DevKey[]
  /** runtime-module precompiles, so simulated calls see the same EVM as blocks */
  precompiles: CustomPrecompile[]
  /** connected p2p peers (net_peerCount) */
  peerCount: () => number
  /** undefined when in sync (eth_syncing) */
  syncStatus: () => { startingBlock: bigint; currentBlock: bigint; highestBlock: bigint } | undefined
  /** this node on the p2p network (admin_nodeInfo); undefined without p2p */
  nodeInfo: () => RpcNodeInfo | undefined
  /** connected peers (admin_peers) */
  peers: () => readonly RpcPeerInfo[]
  /**
   * Called with each raw tx eth_sendRawTransaction admitted to the pool: a validator gossips it
   * to the sequencer (node.ts); undefined = kept in this pool only
   */
  txBroadcast: ((raw: Uint8Array) => void) | undefined
  /** safe / finalized heads (an L2 derives them from L1; a lone sequencer treats its head as both) */
  safeBlockNumber: (() => bigint) | undefined
  finalizedBlockNumber: (() => bigint) | undefined
  /** most accounts kept in the head-state read cache (cleared on every new head) */
  headCacheSize: number
  /** builds one block now (evm_mine); set on a --dev sequencer only */
  mineBlock: (() => Promise<void>) | undefined
  /** time travel, snapshots and balances (evm_increaseTime ... anvil_setBalance); set on a --dev sequencer only */
  devControls: DevControls | undefined
  /**
   * the timestamp the next block will carry (node.ts: the block clock the sequencer and the --dev
   * controls share); undefined: a block clock of its own (max(head + 1, now), no time travel)
   */
  nextBlockTimestamp: (() => bigint) | undefined
  /**
   * Outcomes of plain head calls (eth_call, estimateGas steps) remembered until the head changes:
   * identical requests at one head execute once ({@link HeadResults}); 0 = off.
   */
  headCallResults: number
  /**
   * Worker threads for eth_call / eth_estimateGas at the head (0 = every call on the main
   * thread). Not used with runtime-module precompiles, which live on the main thread.
   */
  callWorkers: number
  /**
   * On a rollup chain (spec.rollup), what optimism_syncStatus reads of L1: node/l1's follower
   * (head_l1 = its confirmed head, current_l1 = the L2 head's L1 origin as it knows it).
   * undefined: those refs are zero, as op-node answers before it knows L1. Ignored without rollup.
   */
  rollupL1: RollupL1View | undefined
}

/** Defaults of {@link NodeRpcBackendOptions} (everything but chain, txpool and logger). */
export const defaultNodeRpcBackendOptions = {
  devAccounts: [] as readonly DevKey[],
  precompiles: [] as CustomPrecompile[],
  peerCount: () => 0,
  syncStatus: () => undefined,
  nodeInfo: () => undefined,
  peers: () => [],
  txBroadcast: undefined,
  safeBlockNumber: undefined,
  finalizedBlockNumber: undefined,
  headCacheSize: 100_000,
  mineBlock: undefined,
  devControls: undefined,
  nextBlockTimestamp: undefined,
  headCallResults: 4096,
  callWorkers: 0,
  rollupL1: undefined,
} satisfies Partial<NodeRpcBackendOptions>

/** The node's RPC backend, with a close() that detaches it from chain and pool events. */
export type NodeRpcBackend = RpcBackend & { close(): Promise<void> }

function toRpcAccount(a: { nonce: bigint; balance: bigint; codeHash: Uint8Array; storageRoot: Uint8Array } | undefined): RpcAccount | undefined {
  return a === undefined ? undefined : { nonce: a.nonce, balance: a.balance, codeHash: a.codeHash, storageRoot: a.storageRoot }
}

function pooled(p: PooledTx): RpcPooledTx {
  return { tx: p.tx, hash: p.hash, sender: p.sender }
}

/**
 * Implements every RPC port (rpc/ports/) in one object on the node's Chain and TxPool: archive state reads through
 * chain.stateAt, a head-state account cache for the eth_getBalance hot path (answers
 * synchronously on a hit), simulated calls and traces on private state copies, and the --dev signer.
 *
 * @example
 * const backend = createNodeRpcBackend({ ...defaultNodeRpcBackendOptions, chain, txpool, logger, devAccounts: DEV_ACCOUNTS })
 * const server = await createRpcServer({ backend, port: 8545, dev: true })
 */
export function createNodeRpcBackend(options: Partial<NodeRpcBackendOptions> & Pick<NodeRpcBackendOptions, 'chain' | 'txpool' | 'logger'>): NodeRpcBackend {
  const opts: NodeRpcBackendOptions = { ...defaultNodeRpcBackendOptions, ...options }
  const { chain, txpool } = opts
  const log = opts.logger.child({ name: 'node:rpc' })
  const events = new EventEmitter()
  events.setMaxListeners(0)
  const executor = createCallSimulator({ spec: chain.spec, common: chain.common, chain, precompiles: opts.precompiles })
  const headResults = opts.headCallResults > 0 ? new HeadResults(opts.headCallResults) : undefined
  // runtime-module precompiles are closures of the main thread: with any, calls stay here
  // started on the first call it could take, not with the node: a node that serves no calls
  // (a validator, a block-producing benchmark) never spends the workers' start-up (~1-2 s of CPU)
  const useWorkers = opts.callWorkers > 0 && opts.precompiles.length === 0
  let workers: CallWorkerPool | undefined
  const devSigner: DevSigner | undefined = opts.devAccounts.length > 0 ? createDevSigner(opts.devAccounts) : undefined

  // head-state cache: one state view and one account map per head, replaced on every new head
  let headNumber = chain.head().header.number
  let headState: Promise<MerkleStateManager> | undefined
  let accountCache = new Map<string, RpcAccount | null>()

  const followHead = (block: Block): void => {
    headNumber = block.header.number
    headState = undefined
    accountCache = new Map()
  }
  const onHead = (executed: ExecutedBlock): void => {
    followHead(executed.block)
    events.emit('head', executed)
  }
  // --dev evm_revert: the head caches follow; filters and subscriptions hear of the next new head
  const onRewind = (block: Block): void => followHead(block)
  const onPending = (p: PooledTx): void => {
    events.emit('pendingTx', p.hash)
  }
  chain.on('head', onHead)
  chain.on('rewind', onRewind)
  txpool.on('pending', onPending)

  function stateFor(n: StateAt): Promise<MerkleStateManager> {
    if (n === headNumber) {
      headState ??= chain.stateAt(n)
      // a failed open must not poison the cache
      headState.catch(() => {
        headState = undefined
      })
      return headState
    }
    return stateAt(chain, n)
  }

  async function readAccount(n: StateAt, address: string): Promise<RpcAccount | undefined> {
    const sm = await stateFor(n)
    return toRpcAccount(await sm.getAccount(createAddressFromString(address)))
  }

  // without the node's shared block clock (tests, harnesses): one of its own, without time travel
  const ownClock = createBlockClock()
  const nextBlockTimestamp = opts.nextBlockTimestamp ?? (() => ownClock.timestampFor(chain.head().header.timestamp))
  const safeBlockNumber = (): bigint => opts.safeBlockNumber?.() ?? chain.head().header.number
  const finalizedBlockNumber = (): bigint => opts.finalizedBlockNumber?.() ?? chain.head().header.number
  // optimism_*: rollup chains only; no batches are posted, so its L2 heads are the markers above
  const rollup = chain.spec.rollup
  const rollupNode =
    rollup === undefined
      ? undefined
      : createRollupNode({ chain, rollup, l1: opts.rollupL1, safeBlockNumber, finalizedBlockNumber, version: `v${packageVersion()}` })

  const backend: NodeRpcBackend = {
    chainId: chain.common.chainId(),
    modules: moduleInfos(chain.spec),
    totalSupply: chain.spec.tokenomics?.totalSupply,
    // the governed base-fee rules of the next block (they change through proposals)
    get baseFeeParams() {
      return chain.nextBlockParams().baseFee
    },
    // dev eth_sendTransaction builds txs with it: the pool's pre-merged Common makes that cheap
    common: createDecodeCommon(chain.common as Common),
    devSigner,
    mineBlock: opts.mineBlock,
    nextBlockTimestamp,
    devControls: opts.devControls,
    head: () => chain.head(),
    peerCount: () => opts.peerCount(),
    syncStatus: () => opts.syncStatus(),
    nodeInfo: () => opts.nodeInfo(),
    peers: () => opts.peers(),
    safeBlockNumber,
    finalizedBlockNumber,
    rollupNode,
    getBlockByNumber: (n) => chain.getBlockByNumber(n),
    getBlockByHash: (h) => chain.getBlockByHash(h),
    getHeaderByHash: (h) => chain.getHeaderByHash(h),
    getReceipts: (h) => chain.getReceipts(h),
    getTxLocation: (h) => chain.getTxLocation(h),
    getLogs: (f, limits) => chunkedLogQuery(chain, f, limits),

    getAccount(address, n) {
      if (n !== headNumber) return readAccount(n, address)
      const hit = accountCache.get(address)
      if (hit !== undefined) return hit ?? undefined
      const cache = accountCache
      return readAccount(n, address).then((a) => {
        if (cache.size < opts.headCacheSize) cache.set(address, a ?? null)
        return a
      })
    },
    async getCode(address, n) {
      return (await stateFor(n)).getCode(createAddressFromString(address))
    },
    async getStorageAt(address, slot, n) {
      return (await stateFor(n)).getStorage(createAddressFromString(address), slot)
    },
    async getProof(address, slots, n): Promise<RpcAccountProof> {
      // proofs read the trie directly: use a private copy so the shared head view's caches stay clean
      const sm = await stateAt(chain, n)
      const p = await getMerkleStateProof(sm, createAddressFromString(address), slots)
      // ethereumjs answers no storage proofs for a missing account and values as stored bytes
      // ("0x01"); the port (like geth) wants one per slot with the value as a quantity
      const storageProof = slots.map((slot, i) => {
        const s = p.storageProof[i]
        return { key: toHex(slot), value: toQuantity(s === undefined ? 0n : BigInt(s.value)), proof: s?.proof ?? [] }
      })
      return {
        address: p.address,
        accountProof: p.accountProof,
        balance: p.balance,
        codeHash: p.codeHash,
        nonce: p.nonce,
        storageHash: p.storageHash,
        storageProof,
      }
    },

    call(req, o) {
      // plain head calls: repeats at one head answered from the memo; the rest go to a worker when
      // one is free, else run here. Calls with overrides or at other blocks always run here.
      const head = chain.head()
      if (!isPlainHeadCall(o, head)) return executor.call(req, o)
      if (useWorkers) workers ??= createCallWorkerPool({ chain, logger: opts.logger, workers: opts.callWorkers })
      const pool = workers
      const run = (): Promise<CallResult> => pool?.call(req, head.header.number, o.gasCap) ?? executor.call(req, o)
      const key = headResults === undefined ? undefined : headCallKey(req, o.gasCap)
      if (headResults === undefined || key === undefined) return run()
      return headResults.get(head.hash(), key, run)
    },
    createAccessList: (req, o) => executor.createAccessList(req, o),
    traceCall: (req, o) => executor.traceCall(req, o),
    simulate: (o) => executor.simulate(o),
    async traceTransaction(hash) {
      const loc = await chain.getTxLocation(hash)
      if (loc === undefined) return undefined
      const block: Block | undefined = await chain.getBlockByHash(loc.blockHash)
      if (block === undefined) return undefined
      return executor.traceTransaction(block, loc.index)
    },

    sendRawTransaction: async (raw) => {
      const hash = await txpool.addRaw(raw)
      opts.txBroadcast?.(raw)
      return hash
    },
    sendTransaction: (tx: TypedTransaction) => txpool.add(tx),
    getPoolTx(hash) {
      const p = txpool.get(hash)
      return p === undefined ? undefined : pooled(p)
    },
    poolContent() {
      const c = txpool.content()
      const map = (m: Map<string, PooledTx[]>) => new Map([...m].map(([k, v]) => [k, v.map(pooled)] as const))
      return { pending: map(c.pending), queued: map(c.queued) }
    },
    poolStatus: () => txpool.status(),
    async pendingNonce(address) {
      const account = await readAccount(chain.head().header.number, address)
      let nonce = account?.nonce ?? 0n
      const pending = txpool.content().pending.get(address)
      if (pending !== undefined) {
        for (const p of pending) if (p.tx.nonce === nonce) nonce++
      }
      return nonce
    },

    on<E extends keyof RpcBackendEvents>(event: E, listener: RpcBackendEvents[E]) {
      events.on(event, listener)
    },
    off<E extends keyof RpcBackendEvents>(event: E, listener: RpcBackendEvents[E]) {
      events.off(event, listener)
    },
    async close() {
      chain.off('head', onHead)
      chain.off('rewind', onRewind)
      txpool.off('pending', onPending)
      events.removeAllListeners()
      await workers?.close()
      log.debug({}, 'rpc backend closed')
    },
  }
  return backend
}
