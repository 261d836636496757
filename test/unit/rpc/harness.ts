import { WebSocket } from 'ws'
import { createRpcServer } from '../../../rpc/index.ts'
import type { RpcServer, RpcServerOptions } from '../../../rpc/index.ts'
import { FakeBackend } from './fakeBackend.ts'

/** A server on a free port over a FakeBackend, with small request helpers. */
export type Harness = {
  backend: FakeBackend
  server: RpcServer
  url: string
  wsUrl: string
  /** POST a raw body; returns status, headers and the parsed (or raw) body */
  post(body: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; text: string; json: unknown }>
  /** one JSON-RPC call; returns the whole response object */
  rpc(method: string, params?: unknown[]): Promise<{ result?: unknown; error?: { code: number; message: string; data?: unknown } }>
  close(): Promise<void>
}

/** Start a harness; `close()` stops the server. */
export async function startHarness(opts: Partial<RpcServerOptions> & { backend?: FakeBackend } = {}): Promise<Harness> {
  const backend = opts.backend ?? new FakeBackend()
  const server = await createRpcServer({ dev: true, ...opts, backend, port: 0 })
  const url = `http://127.0.0.1:${server.port}`
  let id = 0
  const post: Harness['post'] = async (body, headers = {}) => {
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })
    const text = await res.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: res.status, headers: res.headers, text, json }
  }
  return {
    backend,
    server,
    url,
    wsUrl: `ws://127.0.0.1:${server.port}`,
    post,
    async rpc(method, params = []) {
      const r = await post(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }))
      return r.json as { result?: unknown; error?: { code: number; message: string; data?: unknown } }
    },
    close: () => server.close(),
  }
}

/** A WebSocket JSON-RPC client that collects notifications. */
export class WsClient {
  readonly ws: WebSocket
  readonly notifications: { subscription: string; result: unknown }[] = []
  private readonly waiting = new Map<number, (msg: Record<string, unknown>) => void>()
  private nextId = 1

  private constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>
      if (msg.method === 'eth_subscription') {
        this.notifications.push(msg.params as { subscription: string; result: unknown })
        return
      }
      const cb = this.waiting.get(msg.id as number)
      if (cb !== undefined) {
        this.waiting.delete(msg.id as number)
        cb(msg)
      }
    })
  }

  static async connect(url: string, origin?: string): Promise<WsClient> {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return new WsClient(ws)
  }

  call(method: string, params: unknown[] = []): Promise<Record<string, unknown>> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.waiting.set(id, resolve)
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }))
    })
  }

  /** Poll until `n` notifications arrived (deadline 5 s). */
  async waitFor(n: number): Promise<void> {
    const deadline = Date.now() + 5000
    while (this.notifications.length < n) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} notifications (have ${this.notifications.length})`)
      await new Promise((r) => setImmediate(r))
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve())
      this.ws.close()
    })
  }
}

/** HTTP status of a WebSocket upgrade (101 when accepted), optionally sending an Origin header. */
export function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('error', (err) => reject(err))
  })
}
