import type { RpcConnection, RpcContext, RpcMethod } from '../types.ts'
import { RPC_CODE, RPC_ERROR, RpcError, toJsonRpcError } from '../errors.ts'

/**
 * Transport-independent JSON-RPC 2.0 processing: parse, validate the envelope, dispatch single
 * and batch requests, enforce the batch and timeout limits and serialise responses. Every
 * client input yields a well-formed response; nothing a client sends throws out of here.
 */
export type Dispatcher = {
  /** Process a request body; resolves to the response text, or undefined when nothing is owed (notifications). */
  handle(body: string, conn: RpcConnection | undefined): Promise<string | undefined> | string | undefined
}

const PARSE_ERROR = '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}'

function errorText(id: unknown, code: number, message: string, data?: unknown): string {
  const err: Record<string, unknown> = { code, message }
  if (data !== undefined) err.data = data
  return '{"jsonrpc":"2.0","id":' + JSON.stringify(id ?? null) + ',"error":' + JSON.stringify(err) + '}'
}

function isValidId(id: unknown): boolean {
  return id === undefined || id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))
}

/** Create a dispatcher over a method table. */
export function createDispatcher(methods: ReadonlyMap<string, RpcMethod>, ctx: RpcContext): Dispatcher {
  const log = ctx.log
  const timeoutMs = ctx.limits.requestTimeoutMs

  const onUnmapped = (err: unknown): void => {
    log.error({ err }, 'unmapped error in rpc handler')
  }

  function failure(id: unknown, err: unknown): string {
    const e = toJsonRpcError(err, onUnmapped)
    return errorText(id, e.code, e.message, e.data)
  }

  function success(id: unknown, result: unknown): string {
    let json: string
    try {
      json = JSON.stringify(result === undefined ? null : result)
    } catch (err) {
      return failure(id, err)
    }
    return '{"jsonrpc":"2.0","id":' + JSON.stringify(id) + ',"result":' + json + '}'
  }

  /**
   * Returns the response text, a promise of it, or undefined for a notification. A notification
   * (valid version, a method, no id: geth's isNotification) never gets an answer, not even an
   * error for an unknown method or bad params; a malformed envelope is not a notification.
   */
  function one(req: unknown, conn: RpcConnection | undefined): string | Promise<string | undefined> | undefined {
    if (req === null || typeof req !== 'object' || Array.isArray(req)) {
      return errorText(null, RPC_CODE.INVALID_REQUEST, 'invalid request')
    }
    const r = req as { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown }
    if (!isValidId(r.id)) return errorText(null, RPC_CODE.INVALID_REQUEST, 'invalid request: bad id')
    const id = r.id ?? null
    if (r.jsonrpc !== '2.0') return errorText(id, RPC_CODE.INVALID_REQUEST, 'invalid request: jsonrpc must be "2.0"')
    if (typeof r.method !== 'string' || r.method === '') return errorText(id, RPC_CODE.INVALID_REQUEST, 'invalid request: method must be a non-empty string')
    const notification = r.id === undefined
    const method = methods.get(r.method)
    if (method === undefined) {
      return notification ? undefined : errorText(id, RPC_CODE.METHOD_NOT_FOUND, `the method ${r.method} does not exist/is not available`)
    }
    // subscriptions need a connection to notify (geth: -32601 "notifications not supported")
    if (method.wsOnly === true && conn === undefined) {
      return notification ? undefined : errorText(id, RPC_CODE.METHOD_NOT_FOUND, 'notifications not supported')
    }
    let params: readonly unknown[]
    if (r.params === undefined || r.params === null) params = []
    else if (Array.isArray(r.params)) params = r.params
    else return notification ? undefined : errorText(id, RPC_CODE.INVALID_PARAMS, 'non-array args')
    if (params.length > method.maxParams) {
      return notification ? undefined : errorText(id, RPC_CODE.INVALID_PARAMS, `too many arguments, want at most ${method.maxParams}`)
    }
    for (let i = 0; i < method.minParams; i++) {
      if (params[i] === undefined || params[i] === null) {
        return notification ? undefined : errorText(id, RPC_CODE.INVALID_PARAMS, `missing value for required argument ${i}`)
      }
    }
    let out: unknown
    try {
      out = method.handler(ctx, params, conn)
    } catch (err) {
      return notification ? undefined : failure(id, err)
    }
    if (out instanceof Promise) {
      if (notification) {
        // run it (a notification may still have effects) within the deadline and answer nothing, whatever the outcome
        return withTimeout(out).then(
          () => undefined,
          () => undefined,
        )
      }
      return withTimeout(out).then(
        (v) => success(id, v),
        (err: unknown) => failure(id, err),
      )
    }
    return notification ? undefined : success(id, out)
  }

  function withTimeout(p: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new RpcError(RPC_ERROR.TIMEOUT, 'request timed out')), timeoutMs)
      p.then(
        (v) => {
          clearTimeout(timer)
          resolve(v)
        },
        (err: unknown) => {
          clearTimeout(timer)
          reject(err)
        },
      )
    })
  }

  /**
   * geth's answer to a batch over the limit: a one-element batch holding -32600 "batch too large",
   * with the id of the batch's first call (the protocol has no batch-wide error).
   */
  function batchTooLarge(reqs: unknown[]): string {
    let id: unknown = null
    for (const r of reqs) {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) continue
      const m = r as { jsonrpc?: unknown; id?: unknown; method?: unknown }
      if (m.jsonrpc === '2.0' && m.id !== undefined && isValidId(m.id) && typeof m.method === 'string' && m.method !== '') {
        id = m.id
        break
      }
    }
    return '[' + errorText(id, RPC_CODE.INVALID_REQUEST, 'batch too large') + ']'
  }

  async function batch(reqs: unknown[], conn: RpcConnection | undefined): Promise<string | undefined> {
    const parts = await Promise.all(reqs.map((r) => one(r, conn)))
    const texts = parts.filter((p): p is string => p !== undefined)
    if (texts.length === 0) return undefined
    return '[' + texts.join(',') + ']'
  }

  return {
    handle(body, conn) {
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
      } catch {
        return PARSE_ERROR
      }
      if (Array.isArray(parsed)) {
        if (parsed.length === 0) return errorText(null, RPC_CODE.INVALID_REQUEST, 'empty batch')
        if (parsed.length > ctx.limits.maxBatchSize) return batchTooLarge(parsed)
        return batch(parsed, conn)
      }
      return one(parsed, conn)
    },
  }
}
