import { equalsBytes } from '@ethereumjs/util'
import { OpenLedgerError } from '../errors.ts'
import { FlatStateManager } from '../vm/flatStateManager.ts'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import type { StateNodeDb } from '../vm/createStateManager.ts'
import type { Common } from '@ethereumjs/common'
import { CALL_ERROR } from './callErrors.ts'

/** One VM of the pool: its state is a fork of the shared head state with a change overlay of its own. */
export type CallLane = { runtime: RuntimeVm; state: FlatStateManager }

type Lane = CallLane & { owner: FlatStateManager | undefined }

/** Options of {@link CallLanes}. */
export type CallLanesOptions = {
  common: Common
  /** a runtime VM (createRuntimeVm) over the given state manager */
  createVm: (state: FlatStateManager) => Promise<RuntimeVm>
  /** the node store a new head state reads */
  stateNodes: () => StateNodeDb
  /** VMs at most; a call waits for a free one beyond that */
  lanes: number
  /** calls waiting or running at most; beyond it a call fails at once with CALL_ERROR_TOO_MANY_CALLS */
  maxQueued: number
  /** values and decoded nodes the shared head state may hold before it is dropped and read afresh */
  cacheLimit: number
}

/**
 * Copy-on-write call execution at the head. One base state per head root (values and decoded
 * trie nodes read by any call stay cached for every later call at that root) and a small pool of
 * VMs built once, each on a {@link FlatStateManager.fork} of it: a call runs on a free VM inside
 * a checkpoint that is reverted afterwards, so its writes live only in that VM's overlay and no
 * concurrent call sees them. When the head's root changes, a VM takes the new base the next time
 * it is used; a call in flight keeps the base it started on.
 */
export class CallLanes {
  readonly #opts: CallLanesOptions
  #owner: FlatStateManager | undefined
  readonly #idle: Lane[] = []
  #created = 0
  readonly #waiters: { resolve: (lane: Lane) => void; reject: (err: unknown) => void }[] = []
  #queued = 0
  #sinceCheck = 0

  constructor(options: CallLanesOptions) {
    this.#opts = options
  }

  /** Run `fn` on a VM at `stateRoot`, inside a checkpoint that is reverted when it settles. */
  async run<T>(stateRoot: Uint8Array, fn: (lane: CallLane) => Promise<T>): Promise<T> {
    if (this.#queued >= this.#opts.maxQueued) {
      throw new OpenLedgerError(CALL_ERROR.TOO_MANY_CALLS, `too many simulated calls in flight: limit ${this.#opts.maxQueued}`, {
        limit: this.#opts.maxQueued,
      })
    }
    this.#queued++
    let lane: Lane | undefined
    try {
      const owner = this.#ownerAt(stateRoot)
      lane = await this.#acquire(owner)
      if (lane.owner !== owner) {
        lane.state.adoptBase(owner)
        lane.owner = owner
      }
      await lane.state.checkpoint()
      try {
        return await fn(lane)
      } finally {
        await lane.state.revert()
      }
    } catch (err) {
      // a call that threw (rather than returning a result) may leave the VM's journal mid-tx: drop the VM
      if (lane !== undefined) {
        this.#created--
        lane = undefined
      }
      throw err
    } finally {
      this.#queued--
      if (lane !== undefined) this.#release(lane)
      else this.#wakeWithNewLane()
    }
  }

  #ownerAt(stateRoot: Uint8Array): FlatStateManager {
    if (this.#owner === undefined || !equalsBytes(this.#owner.baseRoot, stateRoot)) {
      this.#owner = new FlatStateManager({ common: this.#opts.common, db: this.#opts.stateNodes(), stateRoot, cacheLimit: this.#opts.cacheLimit })
    }
    return this.#owner
  }

  async #acquire(owner: FlatStateManager): Promise<Lane> {
    const idle = this.#idle.pop()
    if (idle !== undefined) return idle
    if (this.#created < this.#opts.lanes) {
      this.#created++
      try {
        return await this.#newLane(owner)
      } catch (err) {
        this.#created--
        throw err
      }
    }
    return new Promise<Lane>((resolve, reject) => this.#waiters.push({ resolve, reject }))
  }

  // the waiting call moves the new VM onto its own head state (run adopts the base)
  async #newLane(owner: FlatStateManager | undefined): Promise<Lane> {
    const state = (owner ?? new FlatStateManager({ common: this.#opts.common, db: this.#opts.stateNodes(), cacheLimit: this.#opts.cacheLimit })).fork()
    const runtime = await this.#opts.createVm(state)
    return { runtime, state, owner }
  }

  #release(lane: Lane): void {
    // bound the shared head state: checked every 256 calls (counting it walks the storage maps)
    if (++this.#sinceCheck >= 256) {
      this.#sinceCheck = 0
      if (this.#owner !== undefined && this.#owner.heldEntries > this.#opts.cacheLimit) this.#owner = undefined
    }
    const waiter = this.#waiters.shift()
    if (waiter !== undefined) waiter.resolve(lane)
    else this.#idle.push(lane)
  }

  // a dropped VM frees its slot: a waiting call gets a new one
  #wakeWithNewLane(): void {
    const waiter = this.#waiters.shift()
    if (waiter === undefined) return
    this.#created++
    this.#newLane(this.#owner).then(waiter.resolve, (err: unknown) => {
      this.#created--
      waiter.reject(err)
    })
  }
}
