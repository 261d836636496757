import { availableParallelism, homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { bytesToHex } from '@ethereumjs/util'
import type { Logger } from 'pino'
import { privateKeyToAccount } from 'viem/accounts'
import { existsSync } from 'node:fs'
import { DEV_ACCOUNTS, loadChainSpec } from '../genesis/index.ts'
import { OpenLedgerError } from '../runtime/index.ts'
import type { ChainSpec, DevAccount } from '../genesis/index.ts'
import { createRpcServer, defaultRpcServerOptions } from '../rpc/index.ts'
import type { RpcLimits, RpcServer } from '../rpc/index.ts'
import { createChain } from './chain/index.ts'
import type { Chain } from './chain/index.ts'
import { packageVersion } from './version.ts'
import {
  CONFIG_ERROR,
  DATADIR_SPEC_FILE,
  addressOfKey,
  checkRpcLimits,
  checkRpcListen,
  loadKey,
  loadSequencerKey,
  resolveDatadirSpec,
  rpcListenError,
  stampGenesisTime,
} from './config/index.ts'
import { childLogger, createLogger } from './logger.ts'
import type { LogFormat, LogLevel } from './logger.ts'
import { createMetrics, defaultMetricsOptions } from './metrics/index.ts'
import type { NodeMetrics } from './metrics/index.ts'
import { createNodeRpcBackend } from './rpc/index.ts'
import type { NodeRpcBackend } from './rpc/index.ts'
import { createBlockClock, createDevControls, createRollupDeposits, createSequencer } from './sequencer/index.ts'
import { chainOutputSource, createProposer, defaultProposerOptions } from './proposer/index.ts'
import type { Proposer } from './proposer/index.ts'
import { createL1Follower, createL1Metrics, defaultL1FollowerOptions, startDevL1 } from './l1/index.ts'
import type { Sequencer } from './sequencer/index.ts'
import { createTxPool, txGossipVerdict } from './txpool/index.ts'
import type { TxPool } from './txpool/index.ts'
import { NODE_ERROR } from './nodeErrors.ts'
import { nodeInfoOf, publishBlock, syncNetworkOf, syncStatusOf, txBroadcastOf } from './nodeNetwork.ts'
import { createP2p } from './p2p/index.ts'
import type { P2pNetwork } from './p2p/index.ts'
import { createSync, sealBlockHash } from './sync/index.ts'
import type { Sync } from './sync/index.ts'

/** Options of {@link createNode}. Every CLI flag maps to one field (see README "CLI reference"). */
export type NodeOptions = {
  /** data directory; undefined = DEFAULT_DEV_DATADIR with `dev`, else DEFAULT_DATADIR */
  datadir: string | undefined
  /** chain spec: built-in name, path or JSON; undefined = the datadir's recorded spec (devnet for a fresh --dev datadir) */
  genesis: string | undefined
  /** development mode: devnet, dev accounts unlocked for eth_sendTransaction, automine, CORS * */
  dev: boolean
  /** build as soon as txs arrive; undefined = on with `dev`, off otherwise */
  automine: boolean | undefined
  /** JSON-RPC listen address: an IP literal or a host name that resolves */
  rpcAddr: string
  /** 0 picks a free port (see Node.rpcUrl) */
  rpcPort: number
  /** JSON-RPC limits (body size, batch size, log ranges, timeouts, gas cap); unset ones keep rpc/'s defaults */
  rpcLimits: Partial<RpcLimits> | undefined
  /** allowed CORS origins; undefined = ["*"] with `dev`, none otherwise */
  rpcCors: string[] | undefined
  /** worker threads running eth_call / eth_estimateGas at the head; undefined = one per core beyond the first, at most 8 */
  rpcCallWorkers: number | undefined
  /** seconds between blocks; undefined = the spec's blockTime; 0 = no interval blocks (automine or buildNow only) */
  blockTime: number | undefined
  /** sequencer key, 0x hex (or keystore + password file); none and not `dev` = not a sequencer */
  sequencerKey: string | undefined
  sequencerKeystore: string | undefined
  sequencerPasswordFile: string | undefined
  /** serve GET /metrics on the RPC port */
  metrics: boolean
  logLevel: LogLevel
  logFormat: LogFormat
  /** use this logger instead of creating one (tests, embedding) */
  logger: Logger | undefined
  /** 'fast' = native/WASM sender recovery and keccak (node/crypto); 'noble' = pure JS */
  crypto: 'fast' | 'noble'
  /** with `dev`: start anvil as L1 with the OP bridge contracts deployed (a rollup dev chain) */
  devL1: boolean
  /** L1 JSON-RPC URL; a rollup chain's sequencer and the proposer need it (--dev.l1 gives its anvil's) */
  l1Rpc: string | undefined
  /** L1 blocks on top of an L1 block before it is used as an L1 origin; undefined = 4 (--dev.l1: 0) */
  l1Confirmations: number | undefined
  /** ms between L1 head reads */
  l1PollIntervalMs: number
  /** L2OutputOracle proposer key (0x hex, or keystore + password file); none = no proposer (--dev.l1: the L1 deployer's) */
  proposerKey: string | undefined
  proposerKeystore: string | undefined
  proposerPasswordFile: string | undefined
  /** ms between proposer rounds; undefined = 6 s (--dev.l1: 1 s) */
  proposerIntervalMs: number | undefined
  /** undefined = sequencer when the node holds the sequencer key, validator otherwise */
  role: NodeRole | undefined
  /** join the p2p network; undefined = on, but off with `dev` */
  p2pEnabled: boolean | undefined
  /** p2p listen address (an IP literal); undefined = node/p2p's default (0.0.0.0) */
  p2pAddr: string | undefined
  /** p2p TCP port, 0 = any; undefined = node/p2p's default (9222) */
  p2pPort: number | undefined
  /** multiaddrs (with /p2p/<id>) dialled at start and redialled when they drop */
  p2pBootnodes: readonly string[]
  /** most peer connections; undefined = node/p2p's default (50) */
  p2pMaxPeers: number | undefined
}

/** What a node does: the sequencer builds, seals and publishes blocks; a validator re-executes them. */
export type NodeRole = 'sequencer' | 'validator'

/** Data directory of `--dev` without --datadir: persistent, relative to the working directory (git-ignored). */
export const DEFAULT_DEV_DATADIR = '.openledger/dev'
/** Data directory otherwise: ~/.openledger. */
export const DEFAULT_DATADIR = join(homedir(), '.openledger')
/** Txpool journal file inside the datadir. */
export const TXPOOL_JOURNAL_FILE = 'txpool.journal'

/** Defaults of {@link NodeOptions}. */
export const defaultNodeOptions: NodeOptions = {
  datadir: undefined,
  genesis: undefined,
  dev: false,
  automine: undefined,
  rpcAddr: '127.0.0.1',
  rpcPort: 8545,
  rpcLimits: undefined,
  rpcCors: undefined,
  rpcCallWorkers: undefined,
  blockTime: undefined,
  sequencerKey: undefined,
  sequencerKeystore: undefined,
  sequencerPasswordFile: undefined,
  metrics: true,
  logLevel: 'info',
  logFormat: 'json',
  logger: undefined,
  crypto: 'fast',
  devL1: false,
  l1Rpc: undefined,
  l1Confirmations: undefined,
  l1PollIntervalMs: 1000,
  proposerKey: undefined,
  proposerKeystore: undefined,
  proposerPasswordFile: undefined,
  proposerIntervalMs: undefined,
  role: undefined,
  p2pEnabled: undefined,
  p2pAddr: undefined,
  p2pPort: undefined,
  p2pBootnodes: [],
  p2pMaxPeers: undefined,
}

/** A running node: chain, pool, optional sequencer, JSON-RPC and metrics, wired together. */
export type Node = {
  readonly spec: ChainSpec
  readonly datadir: string
  readonly logger: Logger
  readonly chain: Chain
  readonly txpool: TxPool
  /** undefined when this node is not the sequencer */
  readonly sequencer: Sequencer | undefined
  /** lowercase address of the sequencer key this node holds, if any */
  readonly sequencerAddress: string | undefined
  readonly rpc: RpcServer
  /** http://<addr>:<bound port> */
  readonly rpcUrl: string
  readonly metrics: NodeMetrics | undefined
  /** the dev accounts (funded, unlocked) in --dev mode; empty otherwise */
  readonly devAccounts: readonly DevAccount[]
  /** the L1 this node reads or posts to (--l1.rpc, or the anvil of --dev.l1); undefined without one */
  readonly l1Url: string | undefined
  /** the output proposer (--proposer.key, or --dev.l1); undefined when this node posts no outputs */
  readonly proposer: Proposer | undefined
  readonly role: NodeRole
  /** the p2p network; undefined with --p2p.enabled off */
  readonly p2p: P2pNetwork | undefined
  /** range sync and gossip block import (validators with p2p); undefined otherwise */
  readonly sync: Sync | undefined
  /** start producing blocks (if the sequencer); the RPC already listens */
  start(): void
  /** stop the sequencer, close RPC, flush the pool journal, close the database; idempotent */
  close(): Promise<void>
}

/**
 * The composition root: resolves the datadir and chain spec, opens the LevelDB chain (with fast
 * crypto), the txpool (journaled in the datadir), the sequencer when this node holds the
 * sequencer key, the JSON-RPC server (HTTP + WS, /metrics mounted on it) and the metrics.
 * The RPC limits and listen address are checked first (a busy port or an address that cannot
 * be bound fails before the datadir is touched: CONFIG_ERROR_RPC_*). On failure everything
 * opened so far is closed again.
 *
 * @example
 * const node = await createNode({ dev: true, rpcPort: 0 })
 * node.start()
 * console.log(node.rpcUrl)
 * await node.close()
 */
export async function createNode(options: Partial<NodeOptions> = {}): Promise<Node> {
  const opts: NodeOptions = { ...defaultNodeOptions, ...options }
  const logger = opts.logger ?? createLogger({ level: opts.logLevel, format: opts.logFormat })
  const log = childLogger(logger, 'node')
  // fail fast, before the datadir is created or LevelDB opened
  if (opts.rpcLimits !== undefined) checkRpcLimits(opts.rpcLimits)
  await checkRpcListen(opts.rpcAddr, opts.rpcPort)
  const datadir = resolve(opts.datadir ?? (opts.dev ? DEFAULT_DEV_DATADIR : DEFAULT_DATADIR))
  if (opts.devL1 && !opts.dev) throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, 'invalid --dev.l1: it needs --dev', { option: 'dev.l1' })
  if (opts.devL1 && opts.l1Rpc !== undefined) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, 'invalid --l1.rpc: --dev.l1 starts its own L1', { option: 'l1.rpc' })
  }
  // a fresh --dev chain's genesis is now (wall clock, node/ only): its vesting unlocks in minutes from here
  const now = BigInt(Math.floor(Date.now() / 1000))
  // --dev.l1: anvil first; on a fresh datadir its deployment decides the genesis (the rollup section)
  const devL1 = opts.devL1
    ? await startDevL1({
        datadir,
        base: stampGenesisTime(loadChainSpec(opts.genesis ?? 'devnet'), now),
        fresh: !existsSync(join(datadir, DATADIR_SPEC_FILE)),
        logger,
      })
    : undefined
  let resolved: Awaited<ReturnType<typeof resolveDatadirSpec>>
  try {
    resolved = await resolveDatadirSpec(datadir, devL1?.spec ?? opts.genesis, opts.dev ? 'devnet' : undefined, { now })
  } catch (err) {
    await devL1?.anvil.stop()
    throw err
  }
  const spec: ChainSpec = opts.blockTime === undefined ? resolved.spec : { ...resolved.spec, blockTime: opts.blockTime }
  const sequencerKey = await loadSequencerKey(spec, {
    key: opts.sequencerKey,
    keystore: opts.sequencerKeystore,
    passwordFile: opts.sequencerPasswordFile,
    dev: opts.dev,
    role: opts.role,
  })
  const role: NodeRole = sequencerKey === undefined ? 'validator' : 'sequencer'
  const p2pEnabled = opts.p2pEnabled ?? !opts.dev
  const sequencerAddress = sequencerKey === undefined ? undefined : addressOfKey(sequencerKey)
  if (resolved.created) log.info({ datadir, chain: spec.name, chainId: spec.chainId, specHash: resolved.hash }, 'datadir initialised')

  const cleanups: (() => Promise<void> | void)[] = []
  if (devL1 !== undefined) cleanups.push(() => devL1.anvil.stop())
  const closeAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup()
      } catch (err) {
        log.error({ err }, 'shutdown step failed')
      }
    }
    cleanups.length = 0
  }

  try {
    const metrics = opts.metrics ? createMetrics() : undefined
    if (metrics !== undefined) cleanups.push(() => metrics.close())

    const chain = await createChain({
      dataDir: datadir,
      spec,
      logger,
      crypto: opts.crypto,
      // the sequencer seals every block it builds, in the block's own write: peers check the seal
      ...(sequencerKey === undefined ? {} : { sealer: (hash: Uint8Array) => sealBlockHash(spec.chainId, hash, sequencerKey) }),
    })
    cleanups.push(() => chain.close())
    if (metrics !== undefined) {
      metrics.setHeadNumber(chain.head().header.number)
      chain.on('head', metrics.onHead)
      chain.on('rewind', (head) => metrics.setHeadNumber(head.header.number))
    }

    const txpool = await createTxPool({ chain, logger, journalPath: join(datadir, TXPOOL_JOURNAL_FILE) })
    cleanups.push(() => txpool.close())
    if (metrics !== undefined) metrics.setTxPoolStatusSource(() => txpool.status())

    // created before the RPC backend (its --dev controls drive it), started by start(), stopped first
    let sequencer: Sequencer | undefined
    const clock = createBlockClock()
    const l1Rpc = opts.l1Rpc ?? devL1?.anvil.url
    // a rollup chain's sequencer builds every block on an L1 origin read from L1
    const l1 =
      spec.rollup !== undefined && sequencerKey !== undefined
        ? createL1Follower({
            rpcUrl: requireL1Rpc(l1Rpc, spec, 'its sequencer reads L1 origins and deposits'),
            rollup: spec.rollup,
            confirmations: opts.l1Confirmations ?? (devL1 === undefined ? defaultL1FollowerOptions.confirmations : 0),
            pollIntervalMs: opts.l1PollIntervalMs,
            logger,
            metrics: metrics === undefined ? undefined : createL1Metrics(metrics.registry),
          })
        : undefined
    if (sequencerKey !== undefined) {
      const seq = createSequencer({
        chain,
        pool: txpool,
        logger,
        blockTime: spec.blockTime,
        automine: opts.automine ?? opts.dev,
        clock,
        ...(metrics === undefined ? {} : { onBlock: (b: { buildSeconds: number }) => metrics.observeBlockBuild(b.buildSeconds) }),
        ...(l1 === undefined || spec.rollup === undefined ? {} : { deposits: createRollupDeposits({ rollup: spec.rollup, l1, logger }) }),
      })
      seq.on('error', (err) => log.error({ err }, 'block production failed'))
      sequencer = seq
    }
    // the p2p network: gossip of sealed blocks and txs, blocks_by_range for peers that lag
    let p2p: P2pNetwork | undefined
    const sync = p2pEnabled
      ? createSync({
          chain,
          logger,
          // late-bound: the network is created next, with the sync's handlers
          network: syncNetworkOf(() => p2p),
        })
      : undefined
    if (sync !== undefined) {
      cleanups.push(() => sync.stop())
      p2p = await createP2p({
        datadir,
        chainId: spec.chainId,
        genesisHash: (await chain.getBlockByNumber(0n))!.hash(),
        ...(opts.p2pAddr === undefined ? {} : { listenAddr: opts.p2pAddr }),
        ...(opts.p2pPort === undefined ? {} : { port: opts.p2pPort }),
        ...(opts.p2pMaxPeers === undefined ? {} : { maxPeers: opts.p2pMaxPeers }),
        bootnodes: [...opts.p2pBootnodes],
        logger,
        ...(metrics === undefined ? {} : { metrics: { registry: metrics.registry, prefix: defaultMetricsOptions.prefix } }),
        handlers: {
          // the sequencer is the author of every block: what others publish is not news to it
          onBlockMessage: role === 'validator' ? (data, from) => sync.onGossipBlock(data, from) : async () => 'ignore',
          onTxMessage: (data) => txGossipVerdict(txpool, data),
          getBlockRange: (start, count, maxBytes) => sync.getBlockRange(start, count, maxBytes),
          head: () => {
            const head = chain.head()
            return { number: head.header.number, hash: head.hash() }
          },
        },
      })
      const network = p2p
      cleanups.push(() => network.stop())
      if (role === 'sequencer') chain.on('head', (executed) => publishBlock(chain, network, executed.block, log))
      else network.on('peer', (event) => event.connected && sync.poke())
    }

    const devAccounts = opts.dev ? DEV_ACCOUNTS : []
    const backend: NodeRpcBackend = createNodeRpcBackend({
      chain,
      txpool,
      logger,
      devAccounts: devAccounts.map((a) => ({ address: a.address.toLowerCase(), privateKey: a.privateKey })),
      // the main thread serves HTTP and blocks; the other cores simulate calls (8 bounds the memory of their caches)
      callWorkers: opts.rpcCallWorkers ?? Math.min(Math.max(availableParallelism() - 1, 0), 8),
      // evm_mine: only a --dev node that produces blocks
      mineBlock:
        opts.dev && sequencerKey !== undefined
          ? async () => {
              if (sequencer === undefined) throw new OpenLedgerError(NODE_ERROR.STARTING, 'the sequencer is not running yet')
              // txs whose submission is still being validated belong in this block, as on anvil
              await txpool.idle()
              await sequencer.buildNow()
            }
          : undefined,
      // the next block's time for estimates: the sequencer's clock, time travel included
      nextBlockTimestamp: () => clock.timestampFor(chain.head().header.timestamp),
      // evm_increaseTime, evm_setNextBlockTimestamp, evm_snapshot, evm_revert, anvil_setBalance
      devControls: opts.dev && sequencer !== undefined ? createDevControls({ chain, sequencer, clock, logger }) : undefined,
      // optimism_syncStatus reads the L1 head and this chain's L1 origins from the follower
      rollupL1: l1,
      peerCount: () => p2p?.peerCount() ?? 0,
      syncStatus: () => syncStatusOf(sync),
      nodeInfo: () => (p2p === undefined ? undefined : nodeInfoOf(p2p, role)),
      peers: () => p2p?.peers().map((p) => ({ id: p.peerId, address: p.address, direction: p.direction, score: p.score, head: p.head })) ?? [],
      // a validator's users reach the sequencer through the txs topic
      txBroadcast: role === 'validator' ? txBroadcastOf(p2p, log) : undefined,
    })
    cleanups.push(() => backend.close())

    const rpc = await createRpcServer({
      backend,
      host: opts.rpcAddr,
      port: opts.rpcPort,
      cors: opts.rpcCors ?? (opts.dev ? ['*'] : []),
      limits: { ...defaultRpcServerOptions.limits, ...opts.rpcLimits },
      dev: opts.dev,
      clientVersion: `openledger/v${packageVersion()}/${process.platform}-${process.arch}/node${process.versions.node}`,
      httpHandlers: metrics === undefined ? {} : { '/metrics': metrics.handler },
      logger,
    }).catch((err: unknown) => {
      // the port was free at the start-up check and taken since: same message, datadir closed cleanly
      throw typeof (err as { code?: unknown }).code === 'string' && (err as { syscall?: unknown }).syscall === 'listen'
        ? rpcListenError(err, opts.rpcAddr, opts.rpcPort)
        : err
    })
    cleanups.push(() => rpc.close())

    if (sequencer !== undefined) {
      const seq = sequencer
      cleanups.push(() => seq.stop())
    }

    // the output proposer: posts this chain's output roots to L2OutputOracle on L1
    const proposerKey = (await loadKey({ key: opts.proposerKey, keystore: opts.proposerKeystore, passwordFile: opts.proposerPasswordFile }, 'proposer'))?.key
    const proposerHex = proposerKey === undefined ? devL1?.proposerKey : bytesToHex(proposerKey)
    let proposer: Proposer | undefined
    if (proposerHex !== undefined) {
      if (spec.rollup === undefined) {
        throw new OpenLedgerError(
          CONFIG_ERROR.CONFLICTING_OPTIONS,
          `invalid --proposer.key: chain "${spec.name}" is not a rollup (its spec has no rollup section)`,
          {
            option: 'proposer.key',
          },
        )
      }
      const created = createProposer({
        ...defaultProposerOptions,
        l1RpcUrl: requireL1Rpc(l1Rpc, spec, 'its proposer posts output roots to L1'),
        account: privateKeyToAccount(proposerHex as `0x${string}`),
        l2OutputOracle: spec.rollup.l2OutputOracle,
        outputs: chainOutputSource(chain),
        intervalSeconds: (opts.proposerIntervalMs ?? (devL1 === undefined ? defaultProposerOptions.intervalSeconds * 1000 : 1000)) / 1000,
        logger,
        ...(metrics === undefined ? {} : { metrics: { registry: metrics.registry, prefix: defaultMetricsOptions.prefix } }),
      })
      cleanups.push(() => created.stop())
      proposer = created
    }

    const rpcUrl = `http://${rpc.host.includes(':') ? `[${rpc.host}]` : rpc.host}:${rpc.port}`
    let closing: Promise<void> | undefined
    const node: Node = {
      spec,
      datadir,
      logger,
      chain,
      txpool,
      sequencer,
      sequencerAddress,
      rpc,
      rpcUrl,
      metrics,
      devAccounts,
      l1Url: l1Rpc,
      proposer,
      role,
      p2p,
      sync,
      start(): void {
        if (closing !== undefined) return
        if (sequencer !== undefined && !sequencer.running) sequencer.start()
        if (role === 'validator') sync?.start()
        proposer?.start()
        const head = chain.head().header
        log.info(
          {
            chain: spec.name,
            chainId: spec.chainId,
            datadir,
            rpc: rpcUrl,
            head: head.number,
            sequencer: sequencerAddress ?? null,
            role,
            p2p: p2p?.multiaddrs() ?? null,
            blockTime: spec.blockTime,
            automine: sequencer === undefined ? null : (opts.automine ?? opts.dev),
          },
          'node started',
        )
      },
      close(): Promise<void> {
        closing ??= (async () => {
          log.info({}, 'shutting down')
          await closeAll()
          log.info({}, 'shutdown complete')
        })()
        return closing
      },
    }
    return node
  } catch (err) {
    await closeAll()
    throw err
  }
}

/** The L1 endpoint a rollup chain's role needs, or a start-up error naming --l1.rpc. */
function requireL1Rpc(l1Rpc: string | undefined, spec: ChainSpec, why: string): string {
  if (l1Rpc !== undefined) return l1Rpc
  throw new OpenLedgerError(
    CONFIG_ERROR.INVALID_OPTION,
    `invalid --l1.rpc: chain "${spec.name}" is a rollup (its spec has a rollup section) and ${why}: pass --l1.rpc <url> (or --dev --dev.l1)`,
    { option: 'l1.rpc' },
  )
}
