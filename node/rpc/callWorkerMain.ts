import { parentPort, workerData } from 'node:worker_threads'
import { Block, createBlockHeaderFromRLP } from '@ethereumjs/block'
import type { BlockHeader } from '@ethereumjs/block'
import { bytesToUnprefixedHex, hexToBytes } from '@ethereumjs/util'
import type { BatchDBOp, DB, EncodingOpts } from '@ethereumjs/util'
import type { ChainSpec } from '../../genesis/index.ts'
import { chainParams, createCallSimulator, createChainCommon, isCodedError } from '../../runtime/index.ts'
import type { CallChain, StateNodeDb } from '../../runtime/index.ts'
import { createFastCrypto } from '../crypto/index.ts'
import type { FromWorker, ToWorker, WorkerQuestion, WorkerSetup } from './callWorkerProtocol.ts'

// A call worker: a CallSimulator of its own (runtime/call, the same rules as the node's) over a
// CallChain port that asks the node for what it does not hold. State nodes and code are
// content-addressed (the key is their hash), so every answer is remembered for good.

const port = parentPort
if (port === null) throw new TypeError('callWorkerMain runs in a worker thread')
const setup = workerData as WorkerSetup
const spec = setup.spec as ChainSpec
const common = createChainCommon(spec, { customCrypto: (await createFastCrypto()).crypto })
const blockOpts = { common, params: chainParams(spec) }
/** A block of a header alone: calls read the env header and the hash, never the txs. */
const headerBlock = (header: BlockHeader): Block => new Block(header, [], [], [], blockOpts)
let head: Block = headerBlock(createBlockHeaderFromRLP(setup.headHeaderRlp, blockOpts))

const questions = new Map<number, { resolve: (v: Uint8Array | undefined) => void }>()
let nextQuestion = 1
function ask(question: WorkerQuestion): Promise<Uint8Array | undefined> {
  const id = nextQuestion++
  return new Promise((resolve) => {
    questions.set(id, { resolve })
    post({ type: 'ask', id, question })
  })
}
function post(message: FromWorker): void {
  port!.postMessage(message)
}

type Value = string | Uint8Array
const memo = new Map<string, Uint8Array>()
/** Writes of this worker's simulations (never persisted, never sent back): state roots a call computes. */
const written = new Map<string, Value>()

/** The node store as the simulator sees it: reads answered by the node (remembered), writes kept here. */
const stateNodes: StateNodeDb = {
  async get(key: string, opts?: EncodingOpts): Promise<Value | undefined> {
    let value: Value | undefined = written.get(key) ?? memo.get(key)
    if (value === undefined) {
      const answer = await ask({ kind: 'node', key })
      if (answer === undefined) return undefined
      if (memo.size >= setup.nodeMemoEntries) memo.clear()
      memo.set(key, answer)
      value = answer
    }
    // the encoding the caller asks for, as the node's own store answers (StateDb)
    if (opts?.valueEncoding === 'string') return typeof value === 'string' ? value : bytesToUnprefixedHex(value)
    return typeof value === 'string' ? hexToBytes(`0x${value}`) : value
  },
  async put(key: string, value: Value): Promise<void> {
    written.set(key, value)
  },
  async del(key: string): Promise<void> {
    written.delete(key)
  },
  async batch(ops: BatchDBOp<string, Value>[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') written.set(op.key, op.value)
      else written.delete(op.key)
    }
  },
  shallowCopy(): DB<string, Value> {
    return stateNodes
  },
  async open(): Promise<void> {},
}

async function header(question: WorkerQuestion): Promise<BlockHeader | undefined> {
  const rlp = await ask(question)
  return rlp === undefined ? undefined : createBlockHeaderFromRLP(rlp, blockOpts)
}

const chain: CallChain = {
  head: () => head,
  async getBlockByNumber(number) {
    if (number === head.header.number) return head
    const found = await header({ kind: 'headerByNumber', number })
    return found === undefined ? undefined : headerBlock(found)
  },
  reader: () => ({
    getHeaderByHash: (hash) => header({ kind: 'headerByHash', hash }),
    getHeaderByNumber: (number) => header({ kind: 'headerByNumber', number }),
  }),
  stateNodes: () => stateNodes,
}
const simulator = createCallSimulator({ spec, common, chain })

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'head':
      head = headerBlock(createBlockHeaderFromRLP(message.headerRlp, blockOpts))
      // a simulation's writes belong to its head; drop them with it (a call in flight keeps its own base)
      written.clear()
      break
    case 'answer':
      questions.get(message.id)?.resolve(message.value)
      questions.delete(message.id)
      break
    case 'call': {
      const { id, req, at, gasCap } = message
      simulator.call(req, { at, gasCap }).then(
        (r) => post({ type: 'result', id, ok: true, returnData: r.returnData, gasUsed: r.gasUsed, error: r.error }),
        (err: unknown) =>
          post({
            type: 'result',
            id,
            ok: false,
            error: {
              code: isCodedError(err) ? err.code : undefined,
              message: err instanceof Error ? err.message : String(err),
              meta: isCodedError(err) ? (err.meta ?? {}) : {},
            },
          }),
      )
      break
    }
  }
})
post({ type: 'ready' })
