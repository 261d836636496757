import type { CallRequest } from '../../rpc/index.ts'

// Messages between the node (main thread) and its call workers (callWorkerMain.ts). Everything
// crosses by structured clone: bigints and Uint8Arrays as they are, blocks and headers as RLP.

/** What the worker asks the node for: a state node or code by its store key, a block or header. */
export type WorkerQuestion =
  | { kind: 'node'; key: string }
  | { kind: 'block'; number: bigint }
  | { kind: 'headerByNumber'; number: bigint }
  | { kind: 'headerByHash'; hash: Uint8Array }

/** An error crossing the thread boundary: its domain code survives, so rpc/errors.ts maps it. */
export type WorkerError = { code: string | undefined; message: string; meta: Record<string, unknown> }

/** Node -> worker. */
export type ToWorker =
  | { type: 'head'; rlp: Uint8Array }
  | { type: 'call'; id: number; req: CallRequest; at: bigint; gasCap: bigint }
  | { type: 'answer'; id: number; value: Uint8Array | undefined }

/** Worker -> node. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'ask'; id: number; question: WorkerQuestion }
  | { type: 'result'; id: number; ok: true; returnData: Uint8Array; gasUsed: bigint; error: string | undefined }
  | { type: 'result'; id: number; ok: false; error: WorkerError }

/** What the node hands a worker at start (workerData). */
export type WorkerSetup = {
  /** the chain spec (ChainSpec, structured-cloned) */
  spec: unknown
  /** the head block when the worker starts */
  headRlp: Uint8Array
  /** entries of the worker's content-addressed node memo (state nodes and code never change under a key) */
  nodeMemoEntries: number
}
