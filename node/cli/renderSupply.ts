import { GENESIS_ERROR, GenesisError, loadChainSpec, unlockCurve, unlockEndMonth } from '../../genesis/index.ts'
import type { Tokenomics, UnlockCurvePoint } from '../../genesis/index.ts'
import { OpenLedgerError } from '../../runtime/index.ts'
import { CONFIG_ERROR } from './errors.ts'
import type { CliValues } from './parseCli.ts'

/** What `openledger supply` prints. */
export type SupplyOptions = {
  /** a built-in spec name or a spec file */
  genesis: string
  /** one row at this instant (unix seconds) instead of one a month */
  at?: number
  /** months 0..months instead of 0..the last unlock */
  months?: number
  /** JSON (wei as decimal strings) instead of a table */
  json: boolean
}

/** One printed row: months after the TGE (fractional for --at, 2 decimals) and the curve there. */
type SupplyRow = { month: number; point: UnlockCurvePoint }

const WEI_PER_OPEN = 10n ** 18n
/** Date's range: ±8.64e15 ms (ECMA-262 §21.4.1.1), in seconds. */
const MAX_DATE_SECONDS = 8_640_000_000_000n

/** The `supply` options from parsed flags: --genesis is required, --at and --months exclude each other. */
export function toSupplyOptions(values: CliValues): SupplyOptions {
  if (values.genesis === undefined) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, 'invalid --genesis: "openledger supply" needs --genesis <devnet|mainnet|file>', {
      option: 'genesis',
    })
  }
  if (values.at !== undefined && values.months !== undefined) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, 'invalid --at: give --at <date> (one row) or --months <n> (months 0..n), not both', {
      option: 'at',
    })
  }
  const options: SupplyOptions = { genesis: values.genesis as string, json: values.json === true }
  if (values.at !== undefined) options.at = values.at as number
  if (values.months !== undefined) options.months = values.months as number
  return options
}

/**
 * `openledger supply`: the circulating OPEN of a spec's tokenomics table (unlockCurve), one row a
 * month from the TGE to the last unlock (or months 0..n, or one instant), per bucket and in total
 * with its share of the supply, as a table or as JSON. A spec without tokenomics is a
 * GenesisError (MISSING_FIELD at `tokenomics`).
 *
 * @example
 * renderSupply({ genesis: 'mainnet', months: 12, json: false })
 * // month  date        ecosystem    investors  team  liquidity   circulating  % supply
 * //     0  2025-09-08  165,500,000          0     0  50,000,000  215,500,000     21.55 ...
 */
export function renderSupply(options: SupplyOptions): string {
  const spec = loadChainSpec(options.genesis)
  const tokenomics = spec.tokenomics
  if (tokenomics === undefined) {
    throw new GenesisError(
      GENESIS_ERROR.MISSING_FIELD,
      `tokenomics is required by "openledger supply": chain spec "${spec.name}" (${options.genesis}) has no tokenomics table`,
      {
        path: 'tokenomics',
      },
    )
  }
  const rows = supplyRows(tokenomics, options)
  return options.json ? renderJson(spec.name, tokenomics, rows) : renderTable(spec.name, tokenomics, rows)
}

function supplyRows(tokenomics: Tokenomics, options: SupplyOptions): SupplyRow[] {
  if (options.at !== undefined) {
    const at = BigInt(options.at)
    // months after the TGE, truncated to 2 decimals (negative before the TGE)
    return [{ month: Number(((at - tokenomics.tge) * 100n) / tokenomics.monthSeconds) / 100, point: unlockCurve(tokenomics, at) }]
  }
  const last = options.months ?? unlockEndMonth(tokenomics)
  return Array.from({ length: last + 1 }, (_, month) => ({ month, point: unlockCurve(tokenomics, tokenomics.tge + BigInt(month) * tokenomics.monthSeconds) }))
}

/** Share of the supply in percent with 2 decimals, rounded down (never shows 100.00 early). */
function percentOf(wei: bigint, totalSupply: bigint): string {
  const bps = (wei * 10_000n) / totalSupply
  return `${bps / 100n}.${(bps % 100n).toString().padStart(2, '0')}`
}

/** ISO 8601 UTC time of unix seconds ("2025-09-08T00:00:00Z"), or "<n>s" outside Date's range. */
function isoTime(seconds: bigint): string {
  if (seconds > MAX_DATE_SECONDS || seconds < -MAX_DATE_SECONDS) return `${seconds}s`
  return new Date(Number(seconds) * 1000).toISOString().replace('.000Z', 'Z')
}

/** Whole OPEN, rounded down, with thousands separators: 165,500,000. */
function formatOpen(wei: bigint): string {
  return (wei / WEI_PER_OPEN).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

function renderTable(name: string, tokenomics: Tokenomics, rows: SupplyRow[]): string {
  const header = ['month', 'date', ...tokenomics.buckets.map((b) => b.name), 'circulating', '% supply']
  const cells = rows.map(({ month, point }) => [
    month.toString(),
    isoTime(point.at).slice(0, 10),
    ...point.buckets.map((b) => formatOpen(b.circulating)),
    formatOpen(point.circulating),
    percentOf(point.circulating, tokenomics.totalSupply),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)))
  // the date column reads left to right; numbers line up on the right
  const line = (row: string[]): string => row.map((cell, i) => (i === 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  return [
    `${name}: circulating OPEN (whole tokens, rounded down; --json gives wei) of ${formatOpen(tokenomics.totalSupply)} OPEN;` +
      ` TGE ${isoTime(tokenomics.tge)}, 1 month = ${tokenomics.monthSeconds} s`,
    line(header),
    ...cells.map(line),
    '',
  ].join('\n')
}

function renderJson(name: string, tokenomics: Tokenomics, rows: SupplyRow[]): string {
  const json = {
    chain: name,
    totalSupply: tokenomics.totalSupply.toString(),
    tge: tokenomics.tge.toString(),
    monthSeconds: tokenomics.monthSeconds.toString(),
    rows: rows.map(({ month, point }) => ({
      month,
      at: point.at.toString(),
      date: isoTime(point.at).slice(0, 10),
      buckets: Object.fromEntries(point.buckets.map((b) => [b.name, b.circulating.toString()])),
      circulating: point.circulating.toString(),
      percent: percentOf(point.circulating, tokenomics.totalSupply),
    })),
  }
  return `${JSON.stringify(json, null, 2)}\n`
}
