import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { pino } from 'pino'
import type { Logger } from 'pino'
import { WebSocketServer } from 'ws'
import type { RawData, WebSocket } from 'ws'
import type { RpcBackend } from '../ports/index.ts'
import { portsOf } from '../ports/index.ts'
import type { RpcConnection, RpcContext, RpcLimits, RpcMethod } from '../types.ts'
import { FilterManager } from '../filters/filterManager.ts'
import { createDispatcher } from './dispatch.ts'
import type { Dispatcher } from './dispatch.ts'
import { createWsOriginCheck } from './wsOriginCheck.ts'
import { allMethods } from '../methods/index.ts'

/** Options of {@link createRpcServer}. */
export type RpcServerOptions = {
  host: string
  /** 0 picks a free port (see RpcServer.port) */
  port: number
  /**
   * allowed origins: CORS for HTTP ("*" any, empty none cross-origin) and the WebSocket handshake
   * (geth's rules: empty allows only requests without Origin and http://localhost)
   */
  cors: string[]
  limits: RpcLimits
  /** polling filters expire after this long without a poll, ms (geth: 5 min) */
  filterTimeoutMs: number
  /** web3_clientVersion answer */
  clientVersion: string
  /** enable dev-only methods (eth_sendTransaction, eth_sign ...) when the node has a dev signer */
  dev: boolean
  /** extra plain-HTTP routes by exact path (e.g. GET /metrics); JSON-RPC stays on every other path */
  httpHandlers: Record<string, (req: IncomingMessage, res: ServerResponse) => void>
  /** extra or replacement methods (tests, L2 namespaces) */
  extraMethods: RpcMethod[]
  /** outgoing bytes a WebSocket may have queued before the slow client is dropped */
  wsMaxBufferedBytes: number
  logger: Logger
}

/** Defaults: geth's limits where geth has one. */
export const defaultRpcServerOptions: RpcServerOptions = {
  host: '127.0.0.1',
  port: 8545,
  cors: [],
  limits: {
    maxBodyBytes: 5 * 1024 * 1024,
    maxBatchSize: 1000,
    maxLogsBlockRange: 10_000n,
    maxLogsResults: 10_000,
    maxSubscriptionsPerConnection: 128,
    maxFilters: 10_000,
    requestTimeoutMs: 30_000,
    gasCap: 50_000_000n,
  },
  filterTimeoutMs: 5 * 60_000,
  clientVersion: 'openledger/v0.1.0',
  dev: false,
  httpHandlers: {},
  extraMethods: [],
  wsMaxBufferedBytes: 16 * 1024 * 1024,
  logger: pino({ level: 'silent' }),
}

/** A running RPC server. */
export type RpcServer = {
  readonly host: string
  /** the bound port (useful with port 0) */
  readonly port: number
  readonly http: Server
  readonly filters: FilterManager
  /** stop accepting, close WebSockets and filters */
  close(): Promise<void>
}

const JSON_HEADERS = { 'content-type': 'application/json' }
/** Preflight: echo the requested header names when they are plain tokens, else allow content-type only. */
function allowedRequestHeaders(requested: string | undefined): string {
  if (requested === undefined || requested.length > 512 || !/^[A-Za-z0-9\-, ]*$/.test(requested)) return 'content-type'
  return requested
}

/** media types geth accepts for a JSON-RPC POST (rpc/http.go acceptedContentTypes) */
const ACCEPTED_CONTENT_TYPES = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest'])
const UNSUPPORTED_MEDIA_TYPE = 'invalid content type, only application/json is supported\n'

/** Whether a POST's Content-Type names JSON (parameters such as charset ignored, case-insensitive). */
function isJsonContentType(header: string | undefined): boolean {
  if (header === 'application/json') return true
  if (header === undefined) return false
  const semi = header.indexOf(';')
  return ACCEPTED_CONTENT_TYPES.has((semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase())
}

/** an oversized upload is drained up to this multiple of the body limit, then the socket is cut */
const DRAIN_FACTOR = 4

/**
 * Start JSON-RPC over HTTP and WebSocket on one port.
 *
 * @example
 * const server = await createRpcServer({ backend, port: 8545, cors: ['*'] })
 * // curl -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}' http://127.0.0.1:8545
 * await server.close()
 */
export async function createRpcServer(options: Partial<RpcServerOptions> & { backend: RpcBackend }): Promise<RpcServer> {
  const opts: RpcServerOptions = {
    ...defaultRpcServerOptions,
    ...options,
    limits: { ...defaultRpcServerOptions.limits, ...options.limits },
  }
  const log = opts.logger.child({ name: 'rpc:server' })
  const backend = options.backend
  const filters = new FilterManager(backend, { timeoutMs: opts.filterTimeoutMs, maxFilters: opts.limits.maxFilters })
  const ctx: RpcContext = {
    ...portsOf(backend),
    limits: opts.limits,
    filters,
    clientVersion: opts.clientVersion,
    dev: opts.dev && backend.devSigner !== undefined,
    log: opts.logger.child({ name: 'rpc:eth' }),
  }
  const methods = new Map<string, RpcMethod>()
  for (const m of allMethods) methods.set(m.name, m)
  for (const m of opts.extraMethods) methods.set(m.name, m)
  const dispatcher = createDispatcher(methods, ctx)
  const maxBody = opts.limits.maxBodyBytes
  const anyOrigin = opts.cors.includes('*')
  const origins = new Set(opts.cors.map((o) => o.toLowerCase()))
  const hasExtraRoutes = Object.keys(opts.httpHandlers).length > 0
  const tooLarge = JSON.stringify({
    jsonrpc: '2.0',
    id: null,
    error: { code: -32005, message: `request body too large: limit ${maxBody} bytes` },
  })

  function allowOrigin(origin: string | undefined): string | undefined {
    if (origin === undefined) return undefined
    if (anyOrigin) return '*'
    return origins.has(origin.toLowerCase()) ? origin : undefined
  }

  function send(res: ServerResponse, status: number, body: string, allowed: string | undefined): void {
    if (allowed !== undefined) {
      res.setHeader('access-control-allow-origin', allowed)
      res.setHeader('vary', 'Origin')
    }
    res.writeHead(status, JSON_HEADERS)
    res.end(body)
  }

  function onBody(res: ServerResponse, body: string, allowed: string | undefined): void {
    let out: ReturnType<Dispatcher['handle']>
    try {
      out = dispatcher.handle(body, undefined)
    } catch (err) {
      log.error({ err }, 'dispatcher failed')
      send(res, 500, '{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}', allowed)
      return
    }
    if (typeof out === 'string') send(res, 200, out, allowed)
    else if (out === undefined) send(res, 200, '', allowed)
    else {
      out.then(
        (text) => send(res, 200, text ?? '', allowed),
        (err: unknown) => {
          log.error({ err }, 'dispatcher failed')
          send(res, 500, '{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error"}}', allowed)
        },
      )
    }
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (hasExtraRoutes) {
      const url = req.url ?? '/'
      const q = url.indexOf('?')
      const route = opts.httpHandlers[q === -1 ? url : url.slice(0, q)]
      if (route !== undefined) {
        try {
          route(req, res)
        } catch (err) {
          log.error({ err, url }, 'http route failed')
          if (!res.headersSent) res.writeHead(500)
          res.end()
        }
        return
      }
    }
    const allowed = allowOrigin(req.headers.origin)
    if (req.method === 'OPTIONS') {
      if (allowed !== undefined) {
        res.setHeader('access-control-allow-origin', allowed)
        res.setHeader('access-control-allow-methods', 'POST, GET, OPTIONS')
        res.setHeader('access-control-allow-headers', allowedRequestHeaders(req.headers['access-control-request-headers']))
        res.setHeader('access-control-max-age', '600')
        res.setHeader('vary', 'Origin')
      }
      res.writeHead(204)
      res.end()
      return
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      // health checks (geth answers an empty 200 on GET /)
      res.writeHead(200)
      res.end()
      return
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST, GET, OPTIONS' })
      res.end()
      return
    }
    // over the limit: drain (up to DRAIN_FACTOR x the limit) and answer 413 once the upload ends,
    // so clients read a clean JSON-RPC error instead of a reset connection
    const declared = req.headers['content-length']
    let tooBig = declared !== undefined && Number(declared) > maxBody
    if (tooBig && Number(declared) > maxBody * DRAIN_FACTOR) {
      res.setHeader('connection', 'close')
      send(res, 413, tooLarge, allowed)
      req.destroy()
      return
    }
    // geth answers 415 to a body that does not declare JSON (browsers cannot send application/json
    // cross-origin without a CORS preflight, so this also keeps simple form posts out)
    if (!isJsonContentType(req.headers['content-type'])) {
      req.resume()
      if (allowed !== undefined) {
        res.setHeader('access-control-allow-origin', allowed)
        res.setHeader('vary', 'Origin')
      }
      res.writeHead(415, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
      res.end(UNSUPPORTED_MEDIA_TYPE)
      return
    }
    // Buffer chunks, decoded once at the end (no StringDecoder per request; bodies are usually one chunk)
    let first: Buffer | undefined
    let rest: Buffer[] | undefined
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (tooBig) {
        if (size > maxBody * DRAIN_FACTOR) req.destroy()
        return
      }
      if (size > maxBody) {
        tooBig = true
        first = undefined
        rest = undefined
        return
      }
      if (first === undefined) first = chunk
      else if (rest === undefined) rest = [chunk]
      else rest.push(chunk)
    })
    req.on('end', () => {
      if (tooBig) {
        res.setHeader('connection', 'close')
        send(res, 413, tooLarge, allowed)
        return
      }
      const body = first === undefined ? '' : rest === undefined ? first.toString('utf8') : Buffer.concat([first, ...rest]).toString('utf8')
      onBody(res, body, allowed)
    })
    req.on('error', () => {
      tooBig = true
    })
  }

  const http = createServer({ keepAliveTimeout: 60_000 }, onRequest)
  http.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n')
    else socket.destroy()
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody })
  let nextConnId = 1
  const wsOriginAllowed = createWsOriginCheck(opts.cors)
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!wsOriginAllowed(req.headers.origin)) {
      log.debug({ origin: req.headers.origin }, 'websocket origin rejected')
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws))
  })

  function onConnection(ws: WebSocket): void {
    const conn: RpcConnection = {
      id: nextConnId++,
      subscriptions: new Map(),
      send(text: string) {
        if (ws.readyState !== ws.OPEN) return
        if (ws.bufferedAmount > opts.wsMaxBufferedBytes) {
          log.debug({ conn: conn.id }, 'dropping slow websocket client')
          ws.terminate()
          return
        }
        ws.send(text)
      },
    }
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString()
      let out: ReturnType<Dispatcher['handle']>
      try {
        out = dispatcher.handle(text, conn)
      } catch (err) {
        log.error({ err }, 'dispatcher failed')
        return
      }
      if (typeof out === 'string') conn.send(out)
      else if (out !== undefined) {
        out.then(
          (t) => {
            if (t !== undefined) conn.send(t)
          },
          (err: unknown) => log.error({ err }, 'dispatcher failed'),
        )
      }
    })
    ws.on('close', () => {
      for (const unsubscribe of conn.subscriptions.values()) unsubscribe()
      conn.subscriptions.clear()
    })
    ws.on('error', (err) => log.debug({ err }, 'websocket error'))
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(opts.port, opts.host, () => {
      http.off('error', reject)
      resolve()
    })
  })
  const addr = http.address() as AddressInfo
  log.info({ host: opts.host, port: addr.port }, 'rpc server listening')

  return {
    host: opts.host,
    port: addr.port,
    http,
    filters,
    async close() {
      filters.close()
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
    },
  }
}
