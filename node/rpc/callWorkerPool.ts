import { Worker } from 'node:worker_threads'
import type { Block } from '@ethereumjs/block'
import type { Logger } from 'pino'
import { RPC_ERROR, RpcError } from '../../rpc/index.ts'
import type { CallRequest, CallResult } from '../../rpc/index.ts'
import { OpenLedgerError } from '../../runtime/index.ts'
import type { ExecutedBlock } from '../../runtime/index.ts'
import type { Chain } from '../chain/index.ts'
import type { FromWorker, ToWorker, WorkerQuestion, WorkerSetup } from './callWorkerProtocol.ts'

/** Options of {@link createCallWorkerPool}. */
export type CallWorkerPoolOptions = {
  chain: Chain
  logger: Logger
  /** worker threads (each a VM pool of its own); 0 = none */
  workers: number
  /** calls in flight per worker at most; beyond, calls wait on the node's side of the queue */
  maxInFlightPerWorker: number
  /** entries of each worker's node memo (state nodes and code, ~100 B-1 kB each) */
  nodeMemoEntries: number
}

/** Defaults of {@link CallWorkerPoolOptions}. */
export const defaultCallWorkerPoolOptions = {
  maxInFlightPerWorker: 256,
  // ~100 B-1 kB each: tens of MB per worker at most
  nodeMemoEntries: 100_000,
} as const

type Pending = { resolve: (r: CallResult) => void; reject: (err: unknown) => void }
type Slot = { worker: Worker; inFlight: Map<number, Pending>; alive: boolean; started: boolean; ready: Promise<void> }

/**
 * eth_call at the head on worker threads, so calls use the machine's other cores while the main
 * thread serves HTTP and everything else (as reth runs calls on a blocking task pool). Each
 * worker runs runtime/call's CallSimulator, built exactly as the node's, over state the node
 * serves it on request (node bytes and code by key, headers as RLP); the node sends every new
 * head. A worker that fails is dropped and its calls fail with a coded error; `call` answers
 * undefined when no worker is available (all busy, starting or stopped), and the node runs the
 * call itself.
 */
export class CallWorkerPool {
  readonly #opts: CallWorkerPoolOptions
  readonly #slots: Slot[] = []
  readonly #log: Logger
  #nextId = 1
  #closed = false
  readonly #onHead = (executed: ExecutedBlock): void => this.#sendHead(executed.block)
  // --dev evm_revert: the workers go back to the earlier head like to a new one
  readonly #onRewind = (block: Block): void => this.#sendHead(block)

  constructor(options: CallWorkerPoolOptions) {
    this.#opts = options
    this.#log = options.logger.child({ name: 'node:rpc:calls' })
    for (let i = 0; i < options.workers; i++) this.#slots.push(this.#spawn(i))
    options.chain.on('head', this.#onHead)
    options.chain.on('rewind', this.#onRewind)
  }

  #sendHead(block: Block): void {
    const headerRlp = block.header.serialize()
    for (const slot of this.#slots) if (slot.alive) this.#post(slot, { type: 'head', headerRlp })
  }

  #spawn(index: number): Slot {
    const setup: WorkerSetup = {
      spec: this.#opts.chain.spec,
      headHeaderRlp: this.#opts.chain.head().header.serialize(),
      nodeMemoEntries: this.#opts.nodeMemoEntries,
    }
    const worker = new Worker(new URL('./callWorker.js', import.meta.url), { workerData: setup })
    // a worker never keeps the process alive on its own (close() stops it on a clean shutdown)
    worker.unref()
    let markReady!: () => void
    const slot: Slot = { worker, inFlight: new Map(), alive: true, started: false, ready: new Promise((resolve) => (markReady = resolve)) }
    const nodes = this.#opts.chain.stateNodes()
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          slot.started = true
          markReady()
          break
        case 'ask':
          this.#answer(message.question, nodes).then(
            (value) => this.#post(slot, { type: 'answer', id: message.id, value }),
            (err: unknown) => {
              this.#log.error({ err, question: message.question.kind }, 'call worker question failed')
              this.#post(slot, { type: 'answer', id: message.id, value: undefined })
            },
          )
          break
        case 'result': {
          const pending = slot.inFlight.get(message.id)
          slot.inFlight.delete(message.id)
          if (pending === undefined) break
          if (message.ok) {
            const result: CallResult = { returnData: message.returnData, gasUsed: message.gasUsed }
            if (message.error !== undefined) result.error = message.error
            pending.resolve(result)
          } else {
            const e = message.error
            pending.reject(e.code === undefined ? new Error(e.message) : new OpenLedgerError(e.code, e.message, e.meta))
          }
          break
        }
      }
    })
    const fail = (err: unknown): void => {
      if (!slot.alive) return
      slot.alive = false
      markReady()
      if (!this.#closed) this.#log.error({ err, worker: index }, 'call worker stopped; its calls fail and the node runs new ones itself')
      for (const pending of slot.inFlight.values()) pending.reject(new RpcError(RPC_ERROR.UNAVAILABLE, 'the call worker stopped'))
      slot.inFlight.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`call worker exited with code ${code}`)))
    return slot
  }

  async #answer(question: WorkerQuestion, nodes: ReturnType<Chain['stateNodes']>): Promise<Uint8Array | undefined> {
    const chain = this.#opts.chain
    switch (question.kind) {
      case 'node': {
        const value = await nodes.get(question.key)
        return typeof value === 'string' ? Buffer.from(value, 'hex') : value
      }
      case 'headerByNumber':
        return (await chain.reader().getHeaderByNumber(question.number))?.serialize()
      case 'headerByHash':
        return (await chain.reader().getHeaderByHash(question.hash))?.serialize()
    }
  }

  #post(slot: Slot, message: ToWorker): void {
    try {
      slot.worker.postMessage(message)
    } catch (err) {
      // a message that cannot be cloned or a worker already gone: treat the worker as failed
      slot.worker.emit('error', err)
    }
  }

  /** Run a plain head call on the least busy worker; undefined when no worker can take it. */
  call(req: CallRequest, at: bigint, gasCap: bigint): Promise<CallResult> | undefined {
    let best: Slot | undefined
    for (const slot of this.#slots) {
      // a worker still starting takes nothing: its calls would wait out its start-up
      if (!slot.alive || !slot.started || slot.inFlight.size >= this.#opts.maxInFlightPerWorker) continue
      if (best === undefined || slot.inFlight.size < best.inFlight.size) best = slot
    }
    if (best === undefined || this.#closed) return undefined
    const slot = best
    const id = this.#nextId++
    return new Promise<CallResult>((resolve, reject) => {
      slot.inFlight.set(id, { resolve, reject })
      this.#post(slot, { type: 'call', id, req, at, gasCap })
    })
  }

  /** Resolves when every worker has started (or failed to). */
  async ready(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.ready))
  }

  /** Stop the workers; calls in flight fail. */
  async close(): Promise<void> {
    this.#closed = true
    this.#opts.chain.off('head', this.#onHead)
    this.#opts.chain.off('rewind', this.#onRewind)
    await Promise.all(this.#slots.map((s) => s.worker.terminate()))
  }
}

/**
 * Start `workers` call worker threads over the node's chain.
 *
 * @example
 * const pool = createCallWorkerPool({ ...defaultCallWorkerPoolOptions, chain, logger, workers: 2 })
 * const result = (await pool.call(req, chain.head().header.number, 50_000_000n)) ?? (await local.call(req, opts))
 */
export function createCallWorkerPool(options: Partial<CallWorkerPoolOptions> & Pick<CallWorkerPoolOptions, 'chain' | 'logger' | 'workers'>): CallWorkerPool {
  return new CallWorkerPool({ ...defaultCallWorkerPoolOptions, ...options })
}
