import { hostname } from 'node:os'

type OriginParts = { scheme: string; host: string; port: string }

/** scheme, hostname and port of an origin or an origin rule ("http://localhost", "example.com:8080"). */
function parts(origin: string): OriginParts | undefined {
  const lower = origin.toLowerCase()
  if (lower.includes('://')) {
    try {
      const u = new URL(lower)
      return { scheme: u.protocol.slice(0, -1), host: u.hostname, port: u.port }
    } catch {
      return undefined
    }
  }
  // a rule without a scheme constrains host and port only
  const colon = lower.lastIndexOf(':')
  return colon === -1 ? { scheme: '', host: lower, port: '' } : { scheme: '', host: lower.slice(0, colon), port: lower.slice(colon + 1) }
}

/** An empty part of a rule matches anything (geth's ruleAllowsOrigin). */
function allows(rule: OriginParts, origin: OriginParts): boolean {
  return (
    (rule.scheme === '' || rule.scheme === origin.scheme) && (rule.host === '' || rule.host === origin.host) && (rule.port === '' || rule.port === origin.port)
  )
}

/**
 * geth's WebSocket handshake origin check: a request without an Origin header is accepted
 * (only browsers send one, and the check exists to stop browser pages); "*" accepts any origin;
 * otherwise the origin must match a rule by scheme, host and port, where a rule may leave scheme
 * or port out. With no rules configured, the rules are geth's defaults: http://localhost and
 * http://<this machine's hostname>, on any port. A rejected upgrade is answered 403.
 *
 * @example
 * const allowed = createWsOriginCheck([])
 * allowed(undefined) // true: not a browser
 * allowed('http://localhost:3000') // true
 * allowed('https://evil.example') // false
 */
export function createWsOriginCheck(origins: readonly string[]): (origin: string | undefined) => boolean {
  const configured = origins.filter((o) => o !== '')
  const any = configured.includes('*')
  const rules = (configured.length > 0 ? configured : ['http://localhost', `http://${hostname()}`])
    .filter((o) => o !== '*')
    .map(parts)
    .filter((r): r is OriginParts => r !== undefined)
  return (origin) => {
    if (origin === undefined || any) return true
    const o = parts(origin)
    return o !== undefined && o.scheme !== '' && rules.some((r) => allows(r, o))
  }
}
