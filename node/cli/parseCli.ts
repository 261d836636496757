import { readFileSync } from 'node:fs'
import { OpenLedgerError } from '../../runtime/index.ts'
import { parseListenHost } from '../config/index.ts'
import { CONFIG_ERROR, optionError } from './errors.ts'
import type { OptionSource } from './errors.ts'
import { COMMANDS, FLAGS, POSITIONAL_COMMANDS, envVarName, findFlag } from './flags.ts'
import type { Command, FlagSpec, OptionCommand } from './flags.ts'

/** A parsed option value. */
export type FlagValue = string | number | boolean | string[]
/** Option values by flag name ("rpc.port"). */
export type CliValues = Record<string, FlagValue>

/** The outcome of parsing argv + env + config file. */
export type ParsedCli = {
  command: Command
  /** for `help`: the command asked about, if any */
  helpTopic?: OptionCommand
  /** for `export` / `import`: the words after the command that are not options (files, block numbers) */
  args?: string[]
  /** merged values, precedence config file < env < flags (defaults are the modules') */
  values: CliValues
  /** where each value came from */
  sources: Record<string, OptionSource>
}

/** What parseCli reads besides argv (injectable for tests). */
export type ParseCliEnv = {
  env: Record<string, string | undefined>
  readFile: (path: string) => string
}

const TRUE_WORDS = ['true', 'on', 'yes', '1']
const FALSE_WORDS = ['false', 'off', 'no', '0']

/**
 * Parse `openledger` arguments. Flags are `--group.name value` or `--group.name=value`; booleans
 * may stand alone (`--dev`) or take on/off/true/false. Every flag can also come from its env var
 * (OPENLEDGER_RPC_PORT) or the --config JSON file; precedence: config < env < flags. Unknown or
 * malformed options throw OpenLedgerError(CONFIG_ERROR_*) whose message names the option.
 *
 * @example
 * parseCli(['node', '--rpc.port', '9545'], { env: process.env, readFile })
 * // { command: 'node', values: { 'rpc.port': 9545 }, sources: { 'rpc.port': { kind: 'flag', label: '--rpc.port' } } }
 */
export function parseCli(argv: readonly string[], io: ParseCliEnv = { env: process.env, readFile: (p) => readFileSync(p, 'utf8') }): ParsedCli {
  let command: Command | undefined
  let help = false
  let version = false
  const flagValues: CliValues = {}
  const flagSources: Record<string, OptionSource> = {}
  const args: string[] = []

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!
    if (token === '-h' || token === '--help') {
      help = true
      continue
    }
    if (token === '-v' || token === '-V' || token === '--version') {
      version = true
      continue
    }
    if (token.startsWith('--')) {
      const eq = token.indexOf('=')
      const name = eq === -1 ? token.slice(2) : token.slice(2, eq)
      const inline = eq === -1 ? undefined : token.slice(eq + 1)
      const spec = findFlag(name)
      const source: OptionSource = { kind: 'flag', label: `--${name}` }
      if (spec === undefined) {
        throw optionError(CONFIG_ERROR.UNKNOWN_OPTION, source, `unknown option${suggest(name)} (see openledger --help)`, name)
      }
      let raw: string
      if (inline !== undefined) raw = inline
      else if (spec.type === 'bool') {
        const next = argv[i + 1]?.toLowerCase()
        if (next !== undefined && (TRUE_WORDS.includes(next) || FALSE_WORDS.includes(next))) {
          raw = next
          i++
        } else raw = 'true'
      } else {
        const next = argv[i + 1]
        if (next === undefined || next.startsWith('--')) {
          throw optionError(CONFIG_ERROR.INVALID_OPTION, source, `needs a value ${spec.valueName}`, name)
        }
        raw = next
        i++
      }
      flagValues[name] = parseValue(spec, raw, source)
      flagSources[name] = source
      continue
    }
    if (token.startsWith('-') && token !== '-') {
      throw optionError(CONFIG_ERROR.UNKNOWN_OPTION, { kind: 'flag', label: token }, 'unknown option (options are --group.name, see openledger --help)', token)
    }
    if (command === undefined && (COMMANDS as readonly string[]).includes(token)) {
      command = token as Command
      continue
    }
    if (command !== undefined && POSITIONAL_COMMANDS.includes(command)) {
      args.push(token)
      continue
    }
    throw new OpenLedgerError(
      CONFIG_ERROR.UNKNOWN_OPTION,
      command === undefined ? `unknown command "${token}" (commands: ${COMMANDS.join(', ')})` : `unexpected argument "${token}"`,
      { option: token, source: 'flag' },
    )
  }

  if (version || command === 'version') return { command: 'version', values: {}, sources: {} }
  if (help || command === 'help') {
    const topic = command === undefined || command === 'help' ? undefined : command
    return topic === undefined ? { command: 'help', values: {}, sources: {} } : { command: 'help', helpTopic: topic, values: {}, sources: {} }
  }
  const cmd: OptionCommand = command ?? 'node'
  for (const name of Object.keys(flagValues)) {
    if (!findFlag(name)!.commands.includes(cmd)) {
      throw optionError(CONFIG_ERROR.UNKNOWN_OPTION, flagSources[name]!, `is not an option of "openledger ${cmd}"`, name)
    }
  }

  const envValues: CliValues = {}
  const envSources: Record<string, OptionSource> = {}
  const byEnv = new Map(FLAGS.map((f) => [envVarName(f.name), f]))
  for (const key of Object.keys(io.env).sort()) {
    if (!key.startsWith('OPENLEDGER_')) continue
    const rawValue = io.env[key]
    if (rawValue === undefined || rawValue === '') continue
    const spec = byEnv.get(key)
    const source: OptionSource = { kind: 'env', label: key }
    if (spec === undefined) {
      // other tools may own OPENLEDGER_* names (build or GPU switches); only a near miss of ours is a typo
      const near = nearestEnv(key)
      if (near === undefined) continue
      throw optionError(CONFIG_ERROR.UNKNOWN_OPTION, source, `unknown environment variable (did you mean ${near}?)`, key)
    }
    if (!spec.commands.includes(cmd)) continue
    envValues[spec.name] = parseValue(spec, rawValue, source)
    envSources[spec.name] = source
  }

  const configValues: CliValues = {}
  const configSources: Record<string, OptionSource> = {}
  const configPath = (flagValues.config ?? envValues.config) as string | undefined
  if (configPath !== undefined) readConfigFile(configPath, cmd, io, configValues, configSources)

  return {
    command: cmd,
    values: { ...configValues, ...envValues, ...flagValues },
    sources: { ...configSources, ...envSources, ...flagSources },
    ...(POSITIONAL_COMMANDS.includes(cmd) ? { args } : {}),
  }
}

function readConfigFile(path: string, cmd: OptionCommand, io: ParseCliEnv, values: CliValues, sources: Record<string, OptionSource>): void {
  let json: unknown
  try {
    json = JSON.parse(io.readFile(path))
  } catch (err) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFIG_FILE, `invalid --config ${path}: ${(err as Error).message}`, { option: 'config', file: path }, { cause: err })
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFIG_FILE, `invalid --config ${path}: must be a JSON object`, { option: 'config', file: path })
  }
  const flat: [string, unknown][] = []
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const key of Object.keys(obj)) {
      const name = prefix === '' ? key : `${prefix}.${key}`
      const value = obj[key]
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) walk(value as Record<string, unknown>, name)
      else flat.push([name, value])
    }
  }
  walk(json as Record<string, unknown>, '')
  for (const [name, value] of flat) {
    const spec = findFlag(name)
    const source: OptionSource = { kind: 'config', label: `option "${name}" in ${path}` }
    if (spec === undefined || name === 'config') {
      throw optionError(CONFIG_ERROR.UNKNOWN_OPTION, source, `unknown option${spec === undefined ? suggest(name) : ''}`, name)
    }
    if (!spec.commands.includes(cmd)) continue
    values[name] = parseValue(spec, value, source)
    sources[name] = source
  }
}

/** Validate one raw value (argv/env text, or any JSON value from the config file) against its flag. */
export function parseValue(spec: FlagSpec, raw: unknown, source: OptionSource): FlagValue {
  const fail = (problem: string): never => {
    throw optionError(CONFIG_ERROR.INVALID_OPTION, source, problem, spec.name)
  }
  switch (spec.type) {
    case 'bool': {
      if (typeof raw === 'boolean') return raw
      const word = typeof raw === 'string' ? raw.toLowerCase() : ''
      if (TRUE_WORDS.includes(word)) return true
      if (FALSE_WORDS.includes(word)) return false
      return fail(`must be on/off (true/false), got ${JSON.stringify(raw)}`)
    }
    case 'int': {
      const text = typeof raw === 'number' ? String(raw) : raw
      if (typeof text !== 'string' || !/^[0-9]+$/.test(text.trim())) return fail(`must be an integer in [${spec.min}, ${spec.max}], got ${JSON.stringify(raw)}`)
      const n = Number(text.trim())
      if (!Number.isSafeInteger(n) || n < (spec.min ?? 0) || n > (spec.max ?? Number.MAX_SAFE_INTEGER)) {
        return fail(`must be an integer in [${spec.min}, ${spec.max}], got ${text.trim()}`)
      }
      return n
    }
    case 'enum': {
      if (typeof raw !== 'string' || !spec.choices!.includes(raw.toLowerCase())) {
        return fail(`must be one of ${spec.choices!.join(', ')}, got ${JSON.stringify(raw)}`)
      }
      return raw.toLowerCase()
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined
      if (items === undefined || !items.every((s) => typeof s === 'string')) return fail('must be a comma-separated list of strings')
      const list = (items as string[]).map((s) => s.trim()).filter((s) => s !== '')
      if (list.length === 0) return fail('must name at least one entry')
      return list
    }
    case 'key': {
      if (typeof raw !== 'string' || !/^(0x)?[0-9a-fA-F]{64}$/.test(raw.trim())) return fail('must be a 32-byte hex private key')
      return `0x${raw.trim().replace(/^0x/, '').toLowerCase()}`
    }
    case 'host': {
      const host = typeof raw === 'string' ? parseListenHost(raw) : undefined
      if (host === undefined) {
        const hint = typeof raw === 'string' && /:\d+$/.test(raw.trim()) && !raw.includes('::') ? ' (the port goes in --rpc.port)' : ''
        return fail(`must be an IP address or a host name (e.g. 127.0.0.1, 0.0.0.0, ::, localhost), got ${JSON.stringify(raw)}${hint}`)
      }
      return host
    }
    case 'duration': {
      const ms = typeof raw === 'string' ? parseDuration(raw) : undefined
      const range = `between ${formatDuration(spec.min ?? 0)} and ${formatDuration(spec.max ?? Number.MAX_SAFE_INTEGER)}`
      if (ms === undefined) return fail(`must be a duration such as 30s, 500ms or 2m (${range}), got ${JSON.stringify(raw)}`)
      if (ms < (spec.min ?? 0) || ms > (spec.max ?? Number.MAX_SAFE_INTEGER)) return fail(`must be ${range}, got ${(raw as string).trim()}`)
      return ms
    }
    case 'time': {
      const seconds = typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : typeof raw === 'string' ? parseInstant(raw) : undefined
      if (seconds === undefined) {
        return fail(`must be a UTC date (2026-09-08), an ISO timestamp with a zone (2026-09-08T06:00:00Z) or unix seconds, got ${JSON.stringify(raw)}`)
      }
      return seconds
    }
    case 'string':
    case 'path': {
      if (typeof raw !== 'string' || raw.trim() === '') return fail('must be a non-empty string')
      return raw
    }
  }
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** "500ms", "30s", "2m", "1h" (Go / geth duration style, one unit) -> milliseconds; else undefined. */
export function parseDuration(text: string): number | undefined {
  const m = /^([0-9]+)(ms|s|m|h)$/.exec(text.trim())
  if (m === null) return undefined
  const ms = Number(m[1]) * DURATION_UNITS_MS[m[2]!]!
  return Number.isSafeInteger(ms) ? ms : undefined
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/

/**
 * A point in time -> unix seconds; else undefined. Unix seconds ("1788847200"), a date
 * ("2026-09-08", midnight UTC) or an ISO 8601 timestamp with a zone ("2026-09-08T06:00:00Z",
 * "2026-09-08T08:00+02:00"; fractions of a second are dropped). Impossible dates (2026-02-30) are
 * refused rather than rolled over as Date.parse does.
 */
export function parseInstant(text: string): number | undefined {
  const trimmed = text.trim()
  if (/^[0-9]+$/.test(trimmed)) {
    const n = Number(trimmed)
    return Number.isSafeInteger(n) ? n : undefined
  }
  const m = INSTANT.exec(trimmed)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as number[]
  const ms = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!)
  const back = new Date(ms)
  // Date.UTC rolls 2026-02-30 over to March 2 and 24:00 to the next day: refuse instead
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month! - 1 || back.getUTCDate() !== day || back.getUTCHours() !== hour) return undefined
  if (minute! > 59 || second! > 59) return undefined
  const zone = m[7]
  const offsetMinutes = zone === undefined || zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)))
  return ms / 1000 - offsetMinutes * 60
}

/** Milliseconds in the largest whole unit: 30000 -> "30s". */
function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    const size = DURATION_UNITS_MS[unit]!
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}

/** " (did you mean --x?)" for a near miss, else "". */
function suggest(name: string): string {
  let best: string | undefined
  let bestDistance = 3
  for (const flag of FLAGS) {
    const d = distance(name, flag.name)
    if (d < bestDistance) {
      bestDistance = d
      best = flag.name
    }
  }
  return best === undefined ? '' : ` (did you mean --${best}?)`
}

/** The env var of a flag within edit distance 2 of `key`, if any. */
function nearestEnv(key: string): string | undefined {
  for (const flag of FLAGS) {
    const env = envVarName(flag.name)
    if (distance(key, env) <= 2) return env
  }
  return undefined
}

/** Levenshtein distance (short strings only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]!
}
