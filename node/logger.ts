import { pino } from 'pino'
import type { DestinationStream, Logger } from 'pino'

/** Log levels accepted by --log.level (pino's, plus "silent"). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Output formats accepted by --log.format. */
export const LOG_FORMATS = ['text', 'json'] as const
/** json: one pino JSON object per line; text: "HH:MM:SS.mmm LEVEL name: msg key=value" for people. */
export type LogFormat = (typeof LOG_FORMATS)[number]

/** Options of {@link createLogger}. */
export type LoggerOptions = {
  level: LogLevel
  format: LogFormat
  /** where lines go; defaults to stdout (written synchronously, so nothing is lost at exit) */
  destination?: DestinationStream
}

/** Defaults of {@link LoggerOptions}. */
export const defaultLoggerOptions: LoggerOptions = {
  level: 'info',
  format: 'json',
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
const OMIT_IN_TEXT = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname'])

/**
 * The node's root logger (pino). Modules log through children named by path, constant message
 * plus a context object (STYLE §6):
 *
 * @example
 * const root = createLogger({ level: 'info', format: 'json' })
 * const log = childLogger(root, 'node:chain')
 * log.info({ number: 1n, txs: 3 }, 'block imported')
 */
export function createLogger(options: Partial<LoggerOptions> = {}): Logger {
  const opts = { ...defaultLoggerOptions, ...options }
  const sink = opts.destination ?? pino.destination({ fd: 1, sync: true })
  const destination = opts.format === 'text' ? textStream(sink) : sink
  return pino(
    {
      level: opts.level,
      base: undefined,
      // bigints (block numbers, balances) are everywhere in context objects; JSON cannot carry them
      hooks: {
        logMethod(args, method) {
          if (args.length > 0 && typeof args[0] === 'object' && args[0] !== null && !(args[0] instanceof Error)) {
            args[0] = toLoggable(args[0] as Record<string, unknown>)
          }
          return method.apply(this, args as Parameters<typeof method>)
        },
      },
    },
    destination,
  )
}

/** A child logger named by path, e.g. "node:chain", "rpc:http". */
export function childLogger(parent: Logger, name: string): Logger {
  return parent.child({ name })
}

/** Shallow copy with bigints as decimal strings and Uint8Arrays as 0x hex (pino's JSON cannot carry them). */
function toLoggable(obj: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined
  for (const key of Object.keys(obj)) {
    const value = obj[key]
    let mapped: unknown = value
    if (typeof value === 'bigint') mapped = value.toString()
    else if (value instanceof Uint8Array) mapped = `0x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`
    if (mapped !== value) {
      out ??= { ...obj }
      out[key] = mapped
    }
  }
  return out ?? obj
}

/** Re-render pino's JSON lines as one human-readable line each. */
function textStream(sink: DestinationStream): DestinationStream {
  return {
    write(line: string): void {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        sink.write(line)
        return
      }
      const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : ''
      const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(5)
      const name = typeof entry.name === 'string' ? `${entry.name}: ` : ''
      let text = `${time} ${level} ${name}${String(entry.msg ?? '')}`
      let stack = ''
      for (const key of Object.keys(entry)) {
        if (OMIT_IN_TEXT.has(key)) continue
        const value = entry[key] as unknown
        if (key === 'err' && typeof value === 'object' && value !== null) {
          const err = value as { message?: unknown; code?: unknown; stack?: unknown }
          text += ` err=${JSON.stringify(String(err.message ?? ''))}${err.code === undefined ? '' : ` code=${String(err.code)}`}`
          if (typeof err.stack === 'string') stack = `\n${err.stack.split('\n').slice(1).join('\n')}`
          continue
        }
        text += ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`
      }
      sink.write(`${text}${stack}\n`)
    },
  }
}
