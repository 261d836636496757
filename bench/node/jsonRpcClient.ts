/**
 * A small JSON-RPC client for benchmarks: Node's fetch (undici, keep-alive) with batch support,
 * as used to measure anvil in shared/specs/ethereumjs.md §3.4.
 */

/** One JSON-RPC reply object. */
export type RpcReply = { id: number; result?: unknown; error?: { code: number; message: string } }

/** A JSON-RPC endpoint. */
export type RpcClient = {
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>
  /** one HTTP request carrying many calls; replies in request order */
  batch(calls: { method: string; params?: unknown[] }[]): Promise<RpcReply[]>
}

/** Client for `url` (e.g. http://127.0.0.1:8545). */
export function createRpcClient(url: string): RpcClient {
  let nextId = 1
  async function post(body: unknown): Promise<unknown> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`)
    return res.json()
  }
  return {
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      const reply = (await post({ jsonrpc: '2.0', id: nextId++, method, params })) as RpcReply
      if (reply.error !== undefined) throw new Error(`${method}: ${reply.error.message} (${reply.error.code})`)
      return reply.result as T
    },
    async batch(calls) {
      const first = nextId
      nextId += calls.length
      const body = calls.map((c, i) => ({ jsonrpc: '2.0', id: first + i, method: c.method, params: c.params ?? [] }))
      const replies = (await post(body)) as RpcReply[]
      const byId = new Map(replies.map((r) => [r.id, r]))
      return body.map((b) => byId.get(b.id) ?? { id: b.id, error: { code: -32603, message: 'missing reply' } })
    },
  }
}

/** Poll until the endpoint answers eth_chainId or the deadline passes. */
export async function waitForRpc(client: RpcClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      await client.call('eth_chainId')
      return
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`RPC not ready after ${timeoutMs} ms`, { cause: err })
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}
