import { bytesToHex, equalsBytes, hexToBytes } from '@ethereumjs/util'
import type { Logger } from 'pino'
import { Registry } from 'prom-client'
import { createPublicClient, http } from 'viem'
import type { Hex, RpcBlock, RpcLog } from 'viem'
import type { RollupSpec } from '../../genesis/index.ts'
import { decodeDepositLog, isDepositLog, isCodedError, L2_ERROR, TRANSACTION_DEPOSITED_TOPIC0 } from '../../runtime/index.ts'
import type { DepositTx, L1Origin } from '../../runtime/index.ts'
import { childLogger } from '../logger.ts'
import { l1BlobBaseFee, PRAGUE_BLOB_BASE_FEE_UPDATE_FRACTION } from './blobBaseFee.ts'
import { createL1Metrics } from './l1Metrics.ts'
import type { L1Metrics } from './l1Metrics.ts'

/** Options of {@link createL1Follower}. */
export type L1FollowerOptions = {
  /** L1 JSON-RPC over HTTP */
  rpcUrl: string
  /** the portal whose TransactionDeposited logs are deposits */
  rollup: Pick<RollupSpec, 'depositContract'>
  /** blocks an L1 block must be below the latest before it is handed out (op-node's sequencer uses 4) */
  confirmations: number
  /** how long one eth_blockNumber answer is reused, ms */
  pollIntervalMs: number
  /** longest wait between tries while L1 does not answer, ms (the wait doubles from pollIntervalMs) */
  maxBackoffMs: number
  /** one JSON-RPC request's timeout, ms */
  requestTimeoutMs: number
  /** the L1's blob base fee update fraction: Prague's (anvil 1.7.1's default hardfork "latest" is Prague-or-later) */
  blobBaseFeeUpdateFraction: bigint
  /** L1 origins kept by block hash */
  cacheSize: number
  logger: Logger
  /** metrics on the node's registry; undefined = a private registry */
  metrics: L1Metrics | undefined
}

/** Defaults of {@link L1FollowerOptions}. */
export const defaultL1FollowerOptions = {
  confirmations: 4,
  pollIntervalMs: 1_000,
  maxBackoffMs: 30_000,
  requestTimeoutMs: 5_000,
  blobBaseFeeUpdateFraction: PRAGUE_BLOB_BASE_FEE_UPDATE_FRACTION,
  cacheSize: 256,
  metrics: undefined,
} satisfies Partial<L1FollowerOptions>

/** The L1 block an L2 block was built on (number and hash). */
export type L1BlockRef = { number: bigint; hash: Uint8Array }

/**
 * Reads the L1 chain for the sequencer: confirmed L1 blocks as {@link L1Origin}s with their
 * deposits. Never throws to the caller's block loop: an L1 outage or a refused reorg answers
 * undefined (and is logged and counted).
 */
export type L1Follower = {
  /** latest L1 block number minus `confirmations`; undefined while L1 does not answer */
  confirmedHead(): Promise<bigint | undefined>
  /** the canonical L1 block `number` as an origin, if it is confirmed (and L1 answers) */
  originAt(number: bigint): Promise<L1Origin | undefined>
  /**
   * the L1 block after `current`, if it is confirmed and its parentHash is `current.hash`;
   * undefined otherwise. A block whose parent is not `current` means `current`, handed out as
   * confirmed, was reorged away: reported (error log, l1_deep_reorgs_total), never followed.
   */
  nextOrigin(current: L1BlockRef): Promise<L1Origin | undefined>
}

/** A failed L1 request (wraps viem's error at the edge, so callers never see it). */
class L1RpcUnavailable extends Error {}

/**
 * Follow an L1 chain over JSON-RPC (viem): confirmed head = latest - confirmations; an origin's
 * deposits come from eth_getLogs by block hash (reorg-safe), filtered on the portal and
 * TransactionDeposited's topic0 and decoded by the consensus rule (runtime decodeDepositLog); a
 * log that rule refuses is logged, counted and skipped. Origins are cached by block hash. Holds
 * no timers: every read happens inside a call.
 *
 * @example
 * const l1 = createL1Follower({ rpcUrl, rollup, confirmations: 4, logger, metrics: createL1Metrics(metrics.registry) })
 * const next = await l1.nextOrigin({ number: origin.number, hash: origin.hash }) // undefined: stay on origin
 */
export function createL1Follower(options: Partial<L1FollowerOptions> & Pick<L1FollowerOptions, 'rpcUrl' | 'rollup' | 'logger'>): L1Follower {
  const opts: L1FollowerOptions = { ...defaultL1FollowerOptions, ...options }
  if (!Number.isInteger(opts.confirmations) || opts.confirmations < 0)
    throw new Error(`l1 follower: confirmations must be an integer >= 0 (got ${opts.confirmations})`)
  const log = childLogger(opts.logger, 'node:l1')
  const metrics = opts.metrics ?? createL1Metrics(new Registry())
  const portal = hexToBytes(opts.rollup.depositContract)
  const client = createPublicClient({ transport: http(opts.rpcUrl, { timeout: opts.requestTimeoutMs, retryCount: 0 }) })
  const origins = new Map<string, L1Origin>()
  const reportedReorgs = new Set<string>()
  let head: { number: bigint; at: number } | undefined
  let outage: { failures: number; retryAt: number } | undefined

  /** One L1 request; failures open (or extend) the backoff window. */
  async function rpc<T>(what: string, request: () => Promise<T>): Promise<T> {
    if (outage !== undefined && Date.now() < outage.retryAt) throw new L1RpcUnavailable(what)
    try {
      const result = await request()
      if (outage !== undefined) {
        log.info({ failures: outage.failures }, 'L1 RPC answers again')
        outage = undefined
      }
      return result
    } catch (cause) {
      metrics.rpcErrorsTotal.inc()
      // a head read before the failure is not trusted after it
      head = undefined
      const failures = (outage?.failures ?? 0) + 1
      const delay = Math.min(opts.maxBackoffMs, opts.pollIntervalMs * 2 ** Math.min(failures - 1, 20))
      outage = { failures, retryAt: Date.now() + delay }
      log.warn({ request: what, failures, retryInMs: delay, err: (cause as Error).message }, 'L1 RPC failed')
      throw new L1RpcUnavailable(what, { cause })
    }
  }

  async function latestNumber(): Promise<bigint> {
    if (head !== undefined && Date.now() - head.at < opts.pollIntervalMs) return head.number
    const number = await rpc('eth_blockNumber', () => client.getBlockNumber({ cacheTime: 0 }))
    head = { number, at: Date.now() }
    metrics.headNumber.set(Number(number))
    return number
  }

  async function confirmed(number: bigint): Promise<boolean> {
    return number >= 0n && number <= (await latestNumber()) - BigInt(opts.confirmations)
  }

  function blockAt(number: bigint): Promise<RpcBlock> {
    return rpc('eth_getBlockByNumber', async () => {
      const block = await client.request({ method: 'eth_getBlockByNumber', params: [`0x${number.toString(16)}`, false] })
      if (block === null || block.hash === null || block.number === null) throw new Error(`L1 has no block ${number}`)
      return block
    })
  }

  async function originOf(block: RpcBlock): Promise<L1Origin> {
    const hash = block.hash!
    const cached = origins.get(hash)
    if (cached !== undefined) return cached
    const logs = await rpc('eth_getLogs', () =>
      client.request({ method: 'eth_getLogs', params: [{ blockHash: hash, address: opts.rollup.depositContract, topics: [TRANSACTION_DEPOSITED_TOPIC0] }] }),
    )
    const number = BigInt(block.number!)
    const origin: L1Origin = Object.freeze({
      number,
      hash: hexToBytes(hash),
      parentHash: hexToBytes(block.parentHash),
      timestamp: BigInt(block.timestamp),
      baseFee: block.baseFeePerGas === null ? 0n : BigInt(block.baseFeePerGas),
      blobBaseFee: l1BlobBaseFee(block.excessBlobGas === undefined ? undefined : BigInt(block.excessBlobGas), opts.blobBaseFeeUpdateFraction),
      deposits: deposits(number, hash, logs),
    })
    metrics.depositsTotal.inc(origin.deposits.length)
    origins.set(hash, origin)
    if (origins.size > opts.cacheSize) origins.delete(origins.keys().next().value!)
    return origin
  }

  function deposits(number: bigint, hash: Hex, logs: RpcLog[]): DepositTx[] {
    const out: { index: bigint; tx: DepositTx }[] = []
    for (const raw of logs) {
      if (raw.removed) continue
      let logIndex: bigint | undefined
      try {
        logIndex = BigInt(raw.logIndex ?? '')
        if (raw.blockHash?.toLowerCase() !== hash.toLowerCase()) throw new Error(`log of block ${raw.blockHash}, asked for ${hash}`)
        const entry = {
          address: hexToBytes(raw.address),
          topics: raw.topics.map((t) => hexToBytes(t)),
          data: hexToBytes(raw.data),
          logIndex,
          blockHash: hexToBytes(hash),
        }
        // the RPC filtered already; the rule is checked again on what came back
        if (!isDepositLog(entry, portal)) continue
        out.push({ index: logIndex, tx: decodeDepositLog(entry, portal) })
      } catch (err) {
        // refused by the consensus rule, or not even a well-formed JSON-RPC log: skipped either way
        metrics.depositLogsMalformedTotal.inc()
        const reason = isCodedError(err) && err.code === L2_ERROR.MALFORMED_DEPOSIT_LOG ? err.meta?.reason : (err as Error).message
        log.warn({ l1Block: number, l1BlockHash: hash, logIndex, reason }, 'malformed deposit log skipped')
      }
    }
    return out.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0)).map((d) => d.tx)
  }

  function lagTo(origin: L1Origin): L1Origin {
    if (head !== undefined) metrics.originLagBlocks.set(Number(head.number - origin.number))
    return origin
  }

  /** Runs `read`; an L1 outage answers undefined (already logged and counted by rpc()). */
  async function guarded<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await read()
    } catch (err) {
      if (err instanceof L1RpcUnavailable) return undefined
      // a bug of ours, not L1's: still never thrown into the block loop
      log.error({ err }, 'L1 follower failed')
      return undefined
    }
  }

  async function reportDeepReorg(current: L1BlockRef, next: RpcBlock): Promise<void> {
    const key = bytesToHex(current.hash)
    const canonical = await blockAt(current.number).catch(() => undefined)
    if (reportedReorgs.has(key)) return
    reportedReorgs.add(key)
    metrics.deepReorgsTotal.inc()
    log.error(
      {
        number: current.number,
        hash: key,
        canonicalHash: canonical?.hash,
        nextNumber: next.number,
        nextParentHash: next.parentHash,
        confirmations: opts.confirmations,
      },
      'L1 reorg deeper than the confirmation depth: not followed',
    )
  }

  return {
    confirmedHead: () => guarded(async () => (await latestNumber()) - BigInt(opts.confirmations)),
    originAt: (number) =>
      guarded(async () => {
        if (!(await confirmed(number))) return undefined
        return lagTo(await originOf(await blockAt(number)))
      }),
    nextOrigin: (current) =>
      guarded(async () => {
        const number = current.number + 1n
        if (!(await confirmed(number))) return undefined
        const block = await blockAt(number)
        if (equalsBytes(hexToBytes(block.parentHash), current.hash)) return lagTo(await originOf(block))
        await reportDeepReorg(current, block)
        return undefined
      }),
  }
}
