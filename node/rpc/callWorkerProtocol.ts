import type { CallRequest } from '../../rpc/index.ts'

// Messages between the node (main thread) and its call workers (callWorkerMain.ts). Everything
// crosses by structured clone: bigints and Uint8Arrays as they are, headers as RLP (a call needs
// a block's header only, never its txs).

/** What the worker asks the node for: a state node or code by its store key, or a header. */
export type WorkerQuestion = { kind: 'node'; key: string } | { kind: 'headerByNumber'; number: bigint } | { kind: 'headerByHash'; hash: Uint8Array }

/** An error crossing the thread boundary: its domain code survives, so rpc/errors.ts maps it. */
export type WorkerError = { code: string | undefined; message: string; meta: Record<string, unknown> }

/** Node -> worker. */
export type ToWorker =
  | { type: 'head'; headerRlp: Uint8Array }
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
  /** the head block's header when the worker starts */
  headHeaderRlp: Uint8Array
  /** entries of the worker's content-addressed node memo (state nodes and code never change under a key) */
  nodeMemoEntries: number
}
