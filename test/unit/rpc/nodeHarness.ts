// A JSON-RPC server over the REAL node backend (node/rpc) on a chain in a temp LevelDB and a real
// txpool, blocks built by hand: for tests that need real execution, proofs and encodings.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import type { Logger } from 'pino'
import { DEV_ACCOUNTS, loadChainSpec } from '../../../genesis/index.ts'
import { createChain } from '../../../node/chain/index.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { createNodeRpcBackend } from '../../../node/rpc/index.ts'
import type { NodeRpcBackend } from '../../../node/rpc/index.ts'
import { createTxPool } from '../../../node/txpool/index.ts'
import type { TxPool } from '../../../node/txpool/index.ts'
import { createRpcServer } from '../../../rpc/index.ts'
import type { RpcServer } from '../../../rpc/index.ts'

/** One JSON-RPC answer. */
export type Answer = { result?: any; error?: { code: number; message: string; data?: string } }

/** A node-backed RPC server with helpers; `close()` removes everything. */
export type NodeHarness = {
  chain: Chain
  txpool: TxPool
  backend: NodeRpcBackend
  server: RpcServer
  rpc(method: string, params?: unknown[]): Promise<Answer>
  /** build one block from everything pending (what the sequencer does on automine) */
  mine(): Promise<void>
  /** dev eth_sendTransaction, mined; resolves to the receipt */
  send(tx: Record<string, unknown>): Promise<Record<string, any>>
  close(): Promise<void>
}

let id = 0
/** One JSON-RPC call to the server at `url`. */
export async function rpcAt(url: string, method: string, params: unknown[] = []): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
  })
  return (await res.json()) as Answer
}

/** Start a node harness on a fresh devnet chain with the dev accounts unlocked (`logger`: silent by default). */
export async function startNodeHarness(opts: { logger?: Logger } = {}): Promise<NodeHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'ol-rpc-node-'))
  const logger = opts.logger ?? pino({ level: 'silent' })
  const chain = await createChain({ dataDir: dir, spec: loadChainSpec('devnet'), logger })
  const txpool = await createTxPool({ chain, logger })
  const backend = createNodeRpcBackend({
    chain,
    txpool,
    logger,
    devAccounts: DEV_ACCOUNTS.map((a) => ({ address: a.address.toLowerCase(), privateKey: a.privateKey })),
  })
  const server = await createRpcServer({ backend, port: 0, dev: true, logger })
  const url = `http://127.0.0.1:${server.port}`
  const rpc = (method: string, params: unknown[] = []): Promise<Answer> => rpcAt(url, method, params)
  const mine = async (): Promise<void> => {
    await txpool.idle()
    const head = chain.head()
    await chain.buildBlock(txpool.pendingForBlock(head.header.calcNextBaseFee()), { timestamp: head.header.timestamp + 1n })
    await txpool.idle()
  }
  return {
    chain,
    txpool,
    backend,
    server,
    rpc,
    mine,
    async send(tx) {
      const r = await rpc('eth_sendTransaction', [tx])
      if (r.error !== undefined) throw new Error(r.error.message)
      await mine()
      return (await rpc('eth_getTransactionReceipt', [r.result])).result
    },
    async close() {
      await server.close()
      backend.close()
      await txpool.close()
      await chain.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
