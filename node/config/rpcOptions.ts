import { lookup } from 'node:dns/promises'
import { createServer, isIP } from 'node:net'
import { OpenLedgerError } from '../../runtime/index.ts'
import type { RpcLimits } from '../../rpc/index.ts'
import { CONFIG_ERROR } from './errors.ts'

/** The CLI flag of each JSON-RPC limit (error messages name the flag a user would change). */
export const RPC_LIMIT_FLAGS = {
  maxBodyBytes: 'rpc.body.limit',
  maxBatchSize: 'rpc.batch-request-limit',
  maxLogsBlockRange: 'rpc.logs.range',
  maxLogsResults: 'rpc.logs.limit',
  maxSubscriptionsPerConnection: 'rpc.ws.subscriptions',
  maxFilters: 'rpc.filters.limit',
  requestTimeoutMs: 'rpc.evmtimeout',
  gasCap: 'rpc.gascap',
} as const satisfies Record<keyof RpcLimits, string>

/** Smallest accepted value of each limit (a JSON-RPC request needs room; a call needs 21,000 gas). */
const RPC_LIMIT_MIN: Record<keyof RpcLimits, bigint> = {
  maxBodyBytes: 1024n,
  maxBatchSize: 1n,
  maxLogsBlockRange: 1n,
  maxLogsResults: 1n,
  maxSubscriptionsPerConnection: 1n,
  maxFilters: 1n,
  requestTimeoutMs: 1n,
  gasCap: 21_000n,
}

/**
 * Check JSON-RPC limits given to the node (from flags, env, a config file or createNode's
 * caller): each a whole number at or above its minimum; throws CONFIG_ERROR_INVALID_OPTION
 * naming the flag.
 */
export function checkRpcLimits(limits: Partial<RpcLimits>): void {
  for (const key of Object.keys(limits) as (keyof RpcLimits)[]) {
    const value = limits[key]
    if (value === undefined) continue
    const min = RPC_LIMIT_MIN[key]
    if (min === undefined) {
      throw new OpenLedgerError(CONFIG_ERROR.UNKNOWN_OPTION, `unknown JSON-RPC limit ${key}`, { option: key })
    }
    const whole = typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))
    if (!whole || BigInt(value) < min) {
      throw new OpenLedgerError(CONFIG_ERROR.INVALID_OPTION, `invalid --${RPC_LIMIT_FLAGS[key]}: must be a whole number >= ${min}, got ${String(value)}`, {
        option: RPC_LIMIT_FLAGS[key],
      })
    }
  }
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens, 253 chars at most
const HOST_NAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i

/**
 * The listen address as the server wants it, or undefined when `text` is neither an IP literal
 * (IPv4, IPv6, IPv6 in brackets) nor a well-formed host name. Whether a name resolves is
 * checked at start-up ({@link checkRpcListen}).
 */
export function parseListenHost(text: string): string | undefined {
  const trimmed = text.trim()
  const unbracketed = /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed
  if (isIP(unbracketed) !== 0) return unbracketed
  if (unbracketed === trimmed && HOST_NAME.test(trimmed) && !/^[0-9.]+$/.test(trimmed)) return trimmed
  return undefined
}

/** Resolves a host name; rejects when it does not resolve (injectable for tests). */
export type HostLookup = (host: string) => Promise<unknown>

/**
 * Fail fast, before the node opens its datadir, when the JSON-RPC server could not listen on
 * `addr`:`port`: a malformed or unresolvable `addr`, an address that is not this machine's,
 * a port in use or not permitted. Binds a throw-away server there and closes it at once. Throws
 * CONFIG_ERROR_RPC_ADDR_UNAVAILABLE / CONFIG_ERROR_RPC_PORT_UNAVAILABLE naming --rpc.addr /
 * --rpc.port (the CLI exits with code 2).
 *
 * @example
 * await checkRpcListen('127.0.0.1', 8545) // throws "--rpc.port 8545 is already in use on 127.0.0.1 ..."
 */
export async function checkRpcListen(addr: string, port: number, resolveHost: HostLookup = lookup): Promise<void> {
  const host = parseListenHost(addr)
  if (host === undefined) {
    throw new OpenLedgerError(
      CONFIG_ERROR.INVALID_OPTION,
      `invalid --rpc.addr: must be an IP address or a host name (e.g. 127.0.0.1, 0.0.0.0, ::, localhost), got ${JSON.stringify(addr)}`,
      {
        option: 'rpc.addr',
      },
    )
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new OpenLedgerError(CONFIG_ERROR.INVALID_OPTION, `invalid --rpc.port: must be an integer in [0, 65535], got ${port}`, { option: 'rpc.port' })
  }
  if (isIP(host) === 0) {
    try {
      await resolveHost(host)
    } catch (cause) {
      throw new OpenLedgerError(
        CONFIG_ERROR.RPC_ADDR_UNAVAILABLE,
        `invalid --rpc.addr: host name ${JSON.stringify(host)} does not resolve`,
        { option: 'rpc.addr' },
        { cause },
      )
    }
  }
  const probe = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject)
      probe.listen({ port, host, exclusive: true }, () => resolve())
    })
  } catch (err) {
    throw rpcListenError(err, host, port)
  } finally {
    await new Promise<void>((resolve) => (probe.listening ? probe.close(() => resolve()) : resolve()))
  }
}

/** Turn a listen failure (errno code) into the CONFIG_ERROR naming the option to change. */
export function rpcListenError(err: unknown, addr: string, port: number): OpenLedgerError {
  const code = (err as { code?: unknown } | undefined)?.code
  const where = `${addr.includes(':') ? `[${addr}]` : addr}:${port}`
  if (code === 'EADDRINUSE') {
    return new OpenLedgerError(
      CONFIG_ERROR.RPC_PORT_UNAVAILABLE,
      `--rpc.port ${port} is already in use on ${addr} (another openledger node, anvil or geth?): stop it, or pick another port with --rpc.port <port> (0 = any free port)`,
      { option: 'rpc.port', address: where },
      { cause: err },
    )
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new OpenLedgerError(
      CONFIG_ERROR.RPC_PORT_UNAVAILABLE,
      `--rpc.port ${port} on ${addr}: permission denied (ports below 1024 need privileges); pick another port with --rpc.port <port>`,
      { option: 'rpc.port', address: where },
      { cause: err },
    )
  }
  const reason = code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be listened on (${typeof code === 'string' ? code : 'unknown error'})`
  return new OpenLedgerError(
    CONFIG_ERROR.RPC_ADDR_UNAVAILABLE,
    `invalid --rpc.addr: ${addr} ${reason}; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`,
    { option: 'rpc.addr', address: where },
    { cause: err },
  )
}
