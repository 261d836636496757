import { bytesToHex } from '@ethereumjs/util'
import { pino } from 'pino'
import type { Logger } from 'pino'
import { Counter, Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import { performance } from 'node:perf_hooks'
import { TransactionReceiptNotFoundError, createPublicClient, createWalletClient, http, parseAbi } from 'viem'
import type { Account, Chain as ViemChain, Hex, TransactionReceipt } from 'viem'
import { OpenLedgerError } from '../../runtime/index.ts'
import { PROPOSER_ERROR } from './proposerErrors.ts'

/** The L2 side the proposer reads: the head it may propose up to and the output root of a block. */
export type OutputSource = {
  /** highest L2 block number that may be proposed (the node's head) */
  headNumber(): bigint
  /** output root v0 of a canonical L2 block; undefined if the node does not have it */
  outputRootAt(number: bigint): Promise<Uint8Array | undefined>
}

/** Options of {@link createProposer}. */
export type ProposerOptions = {
  /** L1 JSON-RPC endpoint (--l1.rpc) */
  l1RpcUrl: string
  /** the proposer's L1 account (--proposer.key or a keystore); L2OutputOracle's PROPOSER */
  account: Account
  /** L2OutputOracle proxy on L1 (the rollup spec's l2OutputOracle) */
  l2OutputOracle: Hex
  outputs: OutputSource
  /** seconds between rounds (--proposer.interval) */
  intervalSeconds: number
  /** most proposals one round posts (catching up after downtime) */
  maxProposalsPerRound: number
  logger?: Logger
  /** metrics go to this registry with this prefix (openledger_proposer_*) */
  metrics?: { registry: Registry; prefix: string }
}

/** Defaults of {@link ProposerOptions}. */
export const defaultProposerOptions = {
  intervalSeconds: 6,
  maxProposalsPerRound: 64,
} as const satisfies Partial<ProposerOptions>

/** The running proposer. */
export type Proposer = {
  start(): void
  /** stop after the round in progress */
  stop(): Promise<void>
  /** one round now: post every output the oracle accepts next, in order; the number posted */
  round(): Promise<number>
}

// the L2OutputOracle functions the proposer uses (contracts-bedrock 0.17.3, L2OutputOracle 1.8.0)
const ORACLE_ABI = parseAbi([
  'function nextBlockNumber() view returns (uint256)',
  'function computeL2Timestamp(uint256 _l2BlockNumber) view returns (uint256)',
  'function proposeL2Output(bytes32 _outputRoot, uint256 _l2BlockNumber, bytes32 _l1BlockHash, uint256 _l1BlockNumber) payable',
])
const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`
/** How long a posted proposal may stay unmined before the round gives up on it (the oracle's nextBlockNumber decides next time). */
const RECEIPT_TIMEOUT_MS = 60_000

/**
 * Create the output proposer (op-proposer's job on the L2OutputOracle path): each round it reads
 * the oracle's nextBlockNumber() and posts the output root of that L2 block once the node has it
 * and the oracle's computed L2 time is below L1's latest timestamp (the oracle refuses future
 * outputs), then the next one, so proposals stay consecutive as the oracle requires. All
 * progress lives on L1: after a restart the oracle's nextBlockNumber says where to go on, and a
 * proposal still pending in the L1 pool (the proposer's pending nonce above its mined one) makes
 * the round wait instead of posting it twice. L1 errors are logged and retried next round; they
 * never stop the node. l1BlockHash 0 skips the oracle's L1 block-hash check.
 *
 * @example
 * const proposer = createProposer({ ...defaultProposerOptions, l1RpcUrl, account, l2OutputOracle, outputs })
 * proposer.start()
 */
export function createProposer(options: Partial<ProposerOptions> & Pick<ProposerOptions, 'l1RpcUrl' | 'account' | 'l2OutputOracle' | 'outputs'>): Proposer {
  const opts: ProposerOptions = { ...defaultProposerOptions, ...options }
  if (!(opts.intervalSeconds > 0)) {
    throw new OpenLedgerError(PROPOSER_ERROR.INVALID_OPTION, 'proposer option intervalSeconds must be > 0', { option: 'proposer.interval' })
  }
  const log = (opts.logger ?? pino({ level: 'silent' })).child({ name: 'node:proposer' })
  const transport = http(opts.l1RpcUrl, { retryCount: 0, timeout: 10_000 })
  const l1 = createPublicClient({ transport })
  // receipts are polled at a quarter of the round interval, at most every second
  const receiptPollMs = Math.min(1000, (opts.intervalSeconds * 1000) / 4)
  const wallet = createWalletClient({ account: opts.account, transport })
  const metrics = opts.metrics === undefined ? undefined : proposerMetrics(opts.metrics.registry, opts.metrics.prefix)
  let timer: NodeJS.Timeout | undefined
  let running = false
  // set by stop(): a proposal still waiting for its receipt is left to the oracle and the next start
  let stopping = false
  let current: Promise<number> = Promise.resolve(0)
  let chain: ViemChain | undefined

  async function proposeNext(): Promise<boolean> {
    const next = await l1.readContract({ address: opts.l2OutputOracle, abi: ORACLE_ABI, functionName: 'nextBlockNumber' })
    if (next > opts.outputs.headNumber()) return false
    const [l2Time, l1Head] = await Promise.all([
      l1.readContract({ address: opts.l2OutputOracle, abi: ORACLE_ABI, functionName: 'computeL2Timestamp', args: [next] }),
      l1.getBlock({ blockTag: 'latest' }),
    ])
    if (l2Time >= l1Head.timestamp) {
      log.debug({ next, l2Time, l1Time: l1Head.timestamp }, 'waiting for L1 time to pass the output time')
      return false
    }
    const [mined, pending] = await Promise.all([
      l1.getTransactionCount({ address: opts.account.address, blockTag: 'latest' }),
      l1.getTransactionCount({ address: opts.account.address, blockTag: 'pending' }),
    ])
    if (pending > mined) {
      log.debug({ mined, pending }, 'a proposal is still pending on L1')
      return false
    }
    const root = await opts.outputs.outputRootAt(next)
    if (root === undefined) return false
    chain ??= { id: await l1.getChainId() } as ViemChain
    const hash = await wallet.writeContract({
      address: opts.l2OutputOracle,
      abi: ORACLE_ABI,
      functionName: 'proposeL2Output',
      args: [bytesToHex(root) as Hex, next, ZERO_HASH, 0n],
      chain,
    })
    const receipt = await minedReceipt(hash)
    // stopped while the proposal was pending: the next start reads the oracle and goes on from there
    if (receipt === undefined) return false
    if (receipt.status !== 'success') {
      throw new OpenLedgerError(PROPOSER_ERROR.PROPOSAL_REVERTED, 'proposeL2Output reverted on L1', { l2BlockNumber: next.toString(), tx: hash })
    }
    log.info({ l2BlockNumber: next, outputRoot: bytesToHex(root), l1Tx: hash, l1Block: receipt.blockNumber }, 'output proposed')
    metrics?.proposed(next)
    return true
  }

  /** The proposal's receipt once mined; undefined if the proposer stops first. Bounded by RECEIPT_TIMEOUT_MS. */
  async function minedReceipt(hash: Hex): Promise<TransactionReceipt | undefined> {
    const deadline = performance.now() + RECEIPT_TIMEOUT_MS
    for (;;) {
      const receipt = await l1.getTransactionReceipt({ hash }).catch((err: unknown) => {
        if (err instanceof TransactionReceiptNotFoundError) return undefined
        throw err
      })
      if (receipt !== undefined) return receipt
      if (stopping) return undefined
      if (performance.now() > deadline) {
        throw new OpenLedgerError(PROPOSER_ERROR.PROPOSAL_NOT_MINED, 'proposal not mined in time; the oracle decides on the next round', { tx: hash })
      }
      await new Promise((resolve) => setTimeout(resolve, receiptPollMs))
    }
  }

  async function round(): Promise<number> {
    let posted = 0
    try {
      while (posted < opts.maxProposalsPerRound && (await proposeNext())) posted++
    } catch (err) {
      metrics?.failed()
      log.warn({ err }, 'output proposal failed; retrying next round')
    }
    return posted
  }

  function schedule(): void {
    if (!running) return
    timer = setTimeout(() => {
      timer = undefined
      current = round()
      current.finally(schedule)
    }, opts.intervalSeconds * 1000)
  }

  return {
    start() {
      if (running) return
      running = true
      stopping = false
      log.info({ oracle: opts.l2OutputOracle, proposer: opts.account.address, intervalSeconds: opts.intervalSeconds }, 'proposer started')
      current = round()
      current.finally(schedule)
    },
    async stop() {
      running = false
      stopping = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      await current
    },
    round() {
      current = current.then(round, round)
      return current
    },
  }
}

function proposerMetrics(registry: Registry, prefix: string): { proposed(n: bigint): void; failed(): void } {
  const last = new Gauge({ name: `${prefix}proposer_l2_block_number`, help: 'L2 block of the last output root posted', registers: [registry] })
  const total = new Counter({ name: `${prefix}proposer_proposals_total`, help: 'output roots posted to L2OutputOracle', registers: [registry] })
  const errors = new Counter({ name: `${prefix}proposer_errors_total`, help: 'proposal rounds that failed (L1 errors, reverts)', registers: [registry] })
  return {
    proposed(n) {
      last.set(Number(n))
      total.inc()
    },
    failed() {
      errors.inc()
    },
  }
}
