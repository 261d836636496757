import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import type { Block } from '@ethereumjs/block'
import type { CallOptions, CallRequest, CallResult } from './types.ts'

/** Calldata longer than this is not remembered (the key would cost more than it saves). */
const MAX_KEY_DATA_BYTES = 4096

const hex = (b: Uint8Array | undefined): string => (b === undefined ? '' : bytesToHex(b))
const num = (v: bigint | number | undefined): string => (v === undefined ? '' : v.toString(16))

/**
 * The identity of a plain head call: every request field that can change its outcome (and the
 * gas cap), so two requests with one key run the same message in the same env block. Undefined
 * for a request not worth remembering (large calldata).
 */
export function headCallKey(req: CallRequest, gasCap: bigint): string | undefined {
  if (req.data !== undefined && req.data.length > MAX_KEY_DATA_BYTES) return undefined
  let key = `${hex(req.from)}|${hex(req.to)}|${num(req.gas)}|${num(req.gasPrice)}|${num(req.maxFeePerGas)}|${num(req.maxPriorityFeePerGas)}|${num(req.value)}|${hex(req.data)}|${num(req.type)}|${num(gasCap)}`
  // the request's nonce and chainId cannot change a call's outcome (ignored, and checked before the call)
  if (req.accessList !== undefined) key += '|a' + req.accessList.map((e) => hex(e.address) + e.storageKeys.map(hex).join(',')).join(';')
  if (req.authorizationList !== undefined) {
    key += '|u' + req.authorizationList.map((a) => `${num(a.chainId)},${hex(a.address)},${num(a.nonce)},${num(a.yParity)},${num(a.r)},${num(a.s)}`).join(';')
  }
  return key
}

/** A call at the head (by number or by the head block itself) with no state or block overrides: what {@link HeadResults} may remember. */
export function isPlainHeadCall(opts: CallOptions, head: Block): boolean {
  return opts.stateOverrides === undefined && opts.blockOverrides === undefined && (opts.at === head || opts.at === head.header.number)
}

/**
 * Outcomes of plain calls (no overrides) at the current head, by {@link headCallKey}. A call's
 * outcome is a pure function of the state, the env block and the message, so the same request
 * at the same head is answered once: concurrent identical requests share one execution, later
 * ones the remembered outcome. Dropped when the head changes; bounded (cleared when full).
 * Failed executions (thrown errors) are never remembered.
 */
export class HeadResults {
  readonly #limit: number
  #head: Uint8Array | undefined
  #results = new Map<string, Promise<CallResult>>()

  constructor(limit: number) {
    this.#limit = limit
  }

  /** The remembered (or in-flight) outcome for `key` at `head`, else `run()`'s, remembered. */
  get(head: Uint8Array, key: string, run: () => Promise<CallResult>): Promise<CallResult> {
    if (this.#head === undefined || !equalsBytes(this.#head, head)) {
      this.#head = head
      this.#results = new Map()
    }
    const known = this.#results.get(key)
    if (known !== undefined) return known
    if (this.#results.size >= this.#limit) this.#results = new Map()
    const results = this.#results
    const pending = run()
    results.set(key, pending)
    pending.catch(() => {
      if (results.get(key) === pending) results.delete(key)
    })
    return pending
  }
}
