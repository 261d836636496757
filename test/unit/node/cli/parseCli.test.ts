import t from 'tap'
import type { Test } from 'tap'
import { OpenLedgerError } from '../../../../runtime/index.ts'
import { CONFIG_ERROR } from '../../../../node/config/index.ts'
import { FLAGS, envVarName } from '../../../../node/cli/flags.ts'
import { renderHelp } from '../../../../node/cli/help.ts'
import { parseCli, parseInstant } from '../../../../node/cli/parseCli.ts'
import type { ParseCliEnv } from '../../../../node/cli/parseCli.ts'

function io(env: Record<string, string> = {}, files: Record<string, string> = {}): ParseCliEnv {
  return {
    env,
    readFile: (path) => {
      const text = files[path]
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
      return text
    },
  }
}

function expectOptionError(t: Test, fn: () => unknown, code: string, named: string): void {
  try {
    fn()
    t.fail(`expected ${code} naming ${named}`)
  } catch (err) {
    t.ok(err instanceof OpenLedgerError, `${named}: OpenLedgerError`)
    t.equal((err as OpenLedgerError).code, code, `${named}: code`)
    t.match((err as Error).message, named, `${named}: message names it: ${(err as Error).message}`)
  }
}

t.test('commands, help and version', async (t) => {
  t.equal(parseCli([], io()).command, 'node', 'node is the default command')
  t.equal(parseCli(['--dev'], io()).command, 'node')
  t.equal(parseCli(['init', '--genesis', 'devnet'], io()).command, 'init')
  t.equal(parseCli(['--version'], io()).command, 'version')
  t.equal(parseCli(['-v'], io()).command, 'version')
  t.equal(parseCli(['version'], io()).command, 'version')
  t.same(parseCli(['--help'], io()), { command: 'help', values: {}, sources: {} })
  t.same(parseCli(['init', '-h'], io()), { command: 'help', helpTopic: 'init', values: {}, sources: {} })
  expectOptionError(t, () => parseCli(['start'], io()), CONFIG_ERROR.UNKNOWN_OPTION, '"start"')
  expectOptionError(t, () => parseCli(['node', 'extra'], io()), CONFIG_ERROR.UNKNOWN_OPTION, '"extra"')
})

t.test('flag forms and value types', async (t) => {
  const p = parseCli(
    [
      'node',
      '--datadir',
      '/tmp/x',
      '--rpc.port=9545',
      '--rpc.addr',
      '0.0.0.0',
      '--dev',
      '--dev.automine',
      'off',
      '--block.time',
      '2',
      '--log.level',
      'DEBUG',
      '--rpc.cors',
      'http://a, http://b',
      '--metrics=false',
      '--sequencer.key',
      'AC0974BEC39A17E36BA4A6B4D238FF944BACB478CBED5EFCAE784D7BF4F2FF80',
    ],
    io(),
  )
  t.same(p.values, {
    datadir: '/tmp/x',
    'rpc.port': 9545,
    'rpc.addr': '0.0.0.0',
    dev: true,
    'dev.automine': false,
    'block.time': 2,
    'log.level': 'debug',
    'rpc.cors': ['http://a', 'http://b'],
    metrics: false,
    'sequencer.key': '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  })
  t.same(p.sources['rpc.port'], { kind: 'flag', label: '--rpc.port' })
  t.equal(parseCli(['--dev', '--rpc.port', '1'], io()).values.dev, true, 'a bare bool does not eat the next flag')
})

t.test('invalid options fail fast naming the option', async (t) => {
  expectOptionError(t, () => parseCli(['--rpc.prot', '1'], io()), CONFIG_ERROR.UNKNOWN_OPTION, '--rpc.prot')
  expectOptionError(t, () => parseCli(['--rpc.prot', '1'], io()), CONFIG_ERROR.UNKNOWN_OPTION, 'did you mean --rpc.port')
  expectOptionError(t, () => parseCli(['-x'], io()), CONFIG_ERROR.UNKNOWN_OPTION, '-x')
  expectOptionError(t, () => parseCli(['--rpc.port', '70000'], io()), CONFIG_ERROR.INVALID_OPTION, '--rpc.port')
  expectOptionError(t, () => parseCli(['--rpc.port', 'abc'], io()), CONFIG_ERROR.INVALID_OPTION, '--rpc.port')
  expectOptionError(t, () => parseCli(['--rpc.port'], io()), CONFIG_ERROR.INVALID_OPTION, '--rpc.port: needs a value')
  expectOptionError(t, () => parseCli(['--rpc.port', '--dev'], io()), CONFIG_ERROR.INVALID_OPTION, '--rpc.port')
  expectOptionError(t, () => parseCli(['--block.time', '0'], io()), CONFIG_ERROR.INVALID_OPTION, '--block.time')
  expectOptionError(t, () => parseCli(['--log.level', 'loud'], io()), CONFIG_ERROR.INVALID_OPTION, '--log.level')
  expectOptionError(t, () => parseCli(['--dev=maybe'], io()), CONFIG_ERROR.INVALID_OPTION, '--dev')
  expectOptionError(t, () => parseCli(['--sequencer.key', '0x1234'], io()), CONFIG_ERROR.INVALID_OPTION, '--sequencer.key')
  expectOptionError(t, () => parseCli(['--datadir='], io()), CONFIG_ERROR.INVALID_OPTION, '--datadir')
  expectOptionError(t, () => parseCli(['init', '--rpc.port', '1'], io()), CONFIG_ERROR.UNKNOWN_OPTION, '--rpc.port: is not an option of "openledger init"')
  expectOptionError(t, () => parseCli([], io({ OPENLEDGER_RPC_PORT: 'x' })), CONFIG_ERROR.INVALID_OPTION, 'OPENLEDGER_RPC_PORT')
  expectOptionError(t, () => parseCli([], io({ OPENLEDGER_RPC_PROT: '1' })), CONFIG_ERROR.UNKNOWN_OPTION, 'OPENLEDGER_RPC_PROT')
  expectOptionError(t, () => parseCli([], io({ OPENLEDGER_RPC_PROT: '1' })), CONFIG_ERROR.UNKNOWN_OPTION, 'did you mean OPENLEDGER_RPC_PORT')
  t.same(parseCli([], io({ OPENLEDGER_NATIVE_GPU: '1' })).values, {}, 'an unrelated OPENLEDGER_* variable is not ours to refuse')
})

t.test('a key never appears in an error', async (t) => {
  const secret = 'ab'.repeat(31) + 'zz'
  try {
    parseCli(['--sequencer.key', secret], io())
    t.fail('should throw')
  } catch (err) {
    t.notMatch((err as Error).message, secret)
  }
})

t.test('precedence: config file < env < flags', async (t) => {
  const files = { '/c.json': JSON.stringify({ rpc: { port: 1000, addr: '10.0.0.1' }, 'block.time': 7, datadir: '/from-config' }) }
  const env = { OPENLEDGER_RPC_PORT: '2000', OPENLEDGER_DATADIR: '/from-env', OPENLEDGER_CONFIG: '/c.json' }
  const p = parseCli(['--rpc.port', '3000'], io(env, files))
  t.equal(p.values['rpc.port'], 3000, 'flag beats env and config')
  t.equal(p.values.datadir, '/from-env', 'env beats config')
  t.equal(p.values['rpc.addr'], '10.0.0.1', 'config beats default')
  t.equal(p.values['block.time'], 7)
  t.equal(p.sources.datadir!.label, 'OPENLEDGER_DATADIR')
  t.equal(p.sources['rpc.addr']!.kind, 'config')
  const q = parseCli(['--config', '/c.json'], io({}, files))
  t.equal(q.values['rpc.port'], 1000, 'config alone')
  t.same(parseCli([], io({ OPENLEDGER_RPC_PORT: '' })).values, {}, 'empty env var = unset')
  t.same(parseCli(['init'], io({ OPENLEDGER_RPC_PORT: '5' })).values, {}, 'env of node-only options is ignored by init')
})

t.test('config file errors name the file and the key', async (t) => {
  expectOptionError(t, () => parseCli(['--config', '/missing.json'], io()), CONFIG_ERROR.CONFIG_FILE, '/missing.json')
  expectOptionError(t, () => parseCli(['--config', '/a.json'], io({}, { '/a.json': '[1]' })), CONFIG_ERROR.CONFIG_FILE, 'must be a JSON object')
  expectOptionError(
    t,
    () => parseCli(['--config', '/a.json'], io({}, { '/a.json': '{"rpc":{"prot":1}}' })),
    CONFIG_ERROR.UNKNOWN_OPTION,
    '"rpc.prot" in /a.json',
  )
  expectOptionError(t, () => parseCli(['--config', '/a.json'], io({}, { '/a.json': '{"rpc.port":"x"}' })), CONFIG_ERROR.INVALID_OPTION, '"rpc.port" in /a.json')
  const p = parseCli(['--config', '/a.json'], io({}, { '/a.json': '{"dev":true,"dev.automine":false,"rpc":{"cors":["*"]}}' }))
  t.same(p.values, { config: '/a.json', dev: true, 'dev.automine': false, 'rpc.cors': ['*'] }, 'JSON booleans and arrays')
})

t.test('help lists every flag with its env var', async (t) => {
  const text = renderHelp()
  for (const flag of FLAGS) {
    t.match(text, `--${flag.name}`, `help shows --${flag.name}`)
    t.match(text, envVarName(flag.name), `help shows ${envVarName(flag.name)}`)
  }
  t.equal(envVarName('rpc.port'), 'OPENLEDGER_RPC_PORT')
  t.equal(envVarName('dev.automine'), 'OPENLEDGER_DEV_AUTOMINE')
  t.notMatch(renderHelp('init'), '--rpc.port', 'init help omits node-only flags')
})

t.test('supply: its own flags, --at as unix seconds, help topic', async (t) => {
  const p = parseCli(['supply', '--genesis', 'mainnet', '--at', '2026-09-08', '--json'], io())
  t.same(p, {
    command: 'supply',
    values: { genesis: 'mainnet', at: 1_788_825_600, json: true },
    sources: { genesis: { kind: 'flag', label: '--genesis' }, at: { kind: 'flag', label: '--at' }, json: { kind: 'flag', label: '--json' } },
  })
  t.equal(parseCli(['supply', '--months', '12'], io()).values.months, 12)
  t.same(parseCli(['supply', '--help'], io()), { command: 'help', helpTopic: 'supply', values: {}, sources: {} })
  t.match(renderHelp('supply'), '--at <date>')
  t.notMatch(renderHelp('supply'), '--rpc.port', 'supply help omits node flags')
  expectOptionError(t, () => parseCli(['supply', '--rpc.port', '1'], io()), CONFIG_ERROR.UNKNOWN_OPTION, 'is not an option of "openledger supply"')
  expectOptionError(t, () => parseCli(['node', '--at', '0'], io()), CONFIG_ERROR.UNKNOWN_OPTION, 'is not an option of "openledger node"')
  expectOptionError(t, () => parseCli(['supply', '--at', 'tomorrow'], io()), CONFIG_ERROR.INVALID_OPTION, '--at: must be a UTC date')
  expectOptionError(t, () => parseCli(['supply', '--months', '1201'], io()), CONFIG_ERROR.INVALID_OPTION, '--months')
  expectOptionError(t, () => parseCli(['sup'], io()), CONFIG_ERROR.UNKNOWN_OPTION, 'commands: node, init, supply, export, import, help, version')
})

t.test('export / import: positional arguments, their own flags, help topics', async (t) => {
  t.same(parseCli(['export', 'out.rlp', '5', '--datadir', '/d', '9'], io()), {
    command: 'export',
    values: { datadir: '/d' },
    sources: { datadir: { kind: 'flag', label: '--datadir' } },
    args: ['out.rlp', '5', '9'],
  })
  t.same(parseCli(['import', 'a.rlp', 'b.rlp', '--genesis', 'devnet'], io()).args, ['a.rlp', 'b.rlp'])
  t.same(parseCli(['import'], io()).args, [], 'no files: left to the command to refuse')
  t.equal(parseCli(['node'], io()).args, undefined, 'other commands have no args')
  expectOptionError(t, () => parseCli(['node', 'file.rlp'], io()), CONFIG_ERROR.UNKNOWN_OPTION, 'unexpected argument "file.rlp"')
  expectOptionError(t, () => parseCli(['export', 'f', '--rpc.port', '1'], io()), CONFIG_ERROR.UNKNOWN_OPTION, 'is not an option of "openledger export"')
  t.same(parseCli(['import', '--help'], io()), { command: 'help', helpTopic: 'import', values: {}, sources: {} })
  t.match(renderHelp('export'), 'Usage: openledger export <file> [first] [last] [options]')
  t.match(renderHelp('import'), 'Usage: openledger import <file>... [options]')
  t.match(renderHelp('import'), '--datadir <dir>')
  t.notMatch(renderHelp('import'), '--rpc.port', 'import help omits node flags')
  t.match(renderHelp(), 'openledger export <file> [first] [last]')
})

t.test('parseInstant: unix seconds, UTC dates, ISO timestamps with a zone; impossible dates refused', async (t) => {
  const cases: [string, number | undefined][] = [
    ['1757289600', 1_757_289_600],
    ['2025-09-08', 1_757_289_600],
    ['2026-09-08T06:00:00Z', 1_788_847_200],
    ['2026-09-08T06:00Z', 1_788_847_200],
    ['2026-09-08T08:00:00.999+02:00', 1_788_847_200],
    ['2026-09-08T01:30:00-04:30', 1_788_847_200],
    ['2024-02-29', 1_709_164_800],
    ['2026-02-30', undefined],
    ['2026-13-01', undefined],
    ['2026-09-08T24:00:00Z', undefined],
    ['2026-09-08T06:60:00Z', undefined],
    ['2026-09-08T06:00:00', undefined],
    ['-1', undefined],
    ['9007199254740993', undefined],
    ['soon', undefined],
  ]
  for (const [text, seconds] of cases) t.equal(parseInstant(text), seconds, text)
})
