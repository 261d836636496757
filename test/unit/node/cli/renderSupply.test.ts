import t from 'tap'
import { GENESIS_ERROR } from '../../../../genesis/index.ts'
import { CONFIG_ERROR } from '../../../../node/config/index.ts'
import { renderSupply, toSupplyOptions } from '../../../../node/cli/renderSupply.ts'

/** The data rows of a table: each row's cells. */
function tableRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
}

t.test('mainnet table: months 0..48, per bucket, total and % as published', async (t) => {
  const text = renderSupply({ genesis: 'mainnet', json: false })
  const [title, header] = text.split('\n')
  t.match(title, 'mainnet: circulating OPEN')
  t.match(title, 'TGE 2025-09-08T00:00:00Z, 1 month = 2629800 s')
  t.same(header!.trim().split(/\s{2,}/), ['month', 'date', 'ecosystem', 'investors', 'team', 'liquidity', 'circulating', '% supply'])
  const rows = tableRows(text)
  t.equal(rows.length, 49, 'months 0..48')
  t.same(rows[0], ['0', '2025-09-08', '165,500,000', '0', '0', '50,000,000', '215,500,000', '21.55'])
  t.same(rows[12], ['12', '2026-09-08', '278,400,000', '0', '0', '50,000,000', '328,400,000', '32.84'])
  t.same(rows[13], ['13', '2026-10-08', '287,808,333', '5,080,555', '4,166,666', '50,000,000', '347,055,555', '34.70'])
  t.same(rows[48], ['48', '2029-09-08', '617,100,000', '182,900,000', '150,000,000', '50,000,000', '1,000,000,000', '100.00'])
  t.equal(rows[47]![7], '98.13', 'not 100 before the last month')
})

t.test('--at: one row at that instant; --months n: rows 0..n', async (t) => {
  // 2026-09-08 00:00 UTC is 365 days after the TGE: 6 hours before month 12 (365.25-day years)
  t.same(tableRows(renderSupply({ genesis: 'mainnet', at: 1_788_825_600, json: false })), [
    ['11.99', '2026-09-08', '278,322,724', '0', '0', '50,000,000', '328,322,724', '32.83'],
  ])
  t.same(tableRows(renderSupply({ genesis: 'mainnet', at: 1_757_289_599, json: false }))[0]!.slice(-2), ['0', '0.00'], 'nothing before the TGE')
  const rows = tableRows(renderSupply({ genesis: 'devnet', months: 3, json: false }))
  t.same(
    rows.map((r) => r[0]),
    ['0', '1', '2', '3'],
  )
})

t.test('--json: the same rows with wei as decimal strings', async (t) => {
  const json = JSON.parse(renderSupply({ genesis: 'mainnet', months: 13, json: true }))
  t.same(
    { chain: json.chain, totalSupply: json.totalSupply, tge: json.tge, monthSeconds: json.monthSeconds, rows: json.rows.length },
    { chain: 'mainnet', totalSupply: '1000000000000000000000000000', tge: '1757289600', monthSeconds: '2629800', rows: 14 },
  )
  t.same(json.rows[13], {
    month: 13,
    at: '1791477000',
    date: '2026-10-08',
    buckets: {
      ecosystem: '287808333333333333333333333',
      investors: '5080555555555555555555555',
      team: '4166666666666666666666666',
      liquidity: '50000000000000000000000000',
    },
    circulating: '347055555555555555555555554',
    percent: '34.70',
  })
  const at = JSON.parse(renderSupply({ genesis: 'mainnet', at: 1_788_847_200, json: true }))
  t.same([at.rows.length, at.rows[0].month, at.rows[0].percent], [1, 12, '32.84'], '--at month 12 exactly')
})

t.test('errors: a spec without tokenomics, an unknown spec, --at with --months, no --genesis', async (t) => {
  const plain = JSON.stringify({ version: 1, name: 'plain', chainId: 7, gasLimit: 21000, sequencer: '0x4f50454e00000000000000000000000000000004', alloc: {} })
  t.throws(() => renderSupply({ genesis: plain, json: false }), {
    code: GENESIS_ERROR.MISSING_FIELD,
    meta: { path: 'tokenomics' },
    message: /^tokenomics is required .*"plain"/,
  })
  t.throws(() => renderSupply({ genesis: '/nonexistent/spec.json', json: false }), { code: GENESIS_ERROR.FILE_UNREADABLE })
  t.throws(() => toSupplyOptions({ genesis: 'mainnet', at: 0, months: 1 }), { code: CONFIG_ERROR.CONFLICTING_OPTIONS, message: /--at .* --months/ })
  t.throws(() => toSupplyOptions({ json: true }), { code: CONFIG_ERROR.CONFLICTING_OPTIONS, message: /needs --genesis/ })
  t.same(toSupplyOptions({ genesis: 'devnet', months: 2 }), { genesis: 'devnet', months: 2, json: false })
})
