// The JSON-RPC limit flags and --rpc.addr: parsing from flags, env and config file, validation
// naming the option, and the mapping onto createNode's rpcLimits.
import t from 'tap'
import type { Test } from 'tap'
import { OpenLedgerError } from '../../../../runtime/index.ts'
import { defaultRpcServerOptions } from '../../../../rpc/index.ts'
import { CONFIG_ERROR, RPC_LIMIT_FLAGS } from '../../../../node/config/index.ts'
import { findFlag } from '../../../../node/cli/flags.ts'
import { parseCli, parseDuration } from '../../../../node/cli/parseCli.ts'
import type { ParseCliEnv } from '../../../../node/cli/parseCli.ts'
import { toNodeOptions } from '../../../../node/cli/toNodeOptions.ts'

function io(env: Record<string, string> = {}, files: Record<string, string> = {}): ParseCliEnv {
  return { env, readFile: (path) => files[path] ?? '{}' }
}

function rejects(t: Test, argv: string[], named: string, env: Record<string, string> = {}): void {
  try {
    parseCli(argv, io(env))
    t.fail(`expected an error naming ${named}`)
  } catch (err) {
    t.ok(err instanceof OpenLedgerError && err.code === CONFIG_ERROR.INVALID_OPTION, `${argv.join(' ')}: invalid option`)
    t.match((err as Error).message, named, `names ${named}: ${(err as Error).message}`)
  }
}

t.test("every RPC limit has a flag whose documented default is rpc/'s default", async (t) => {
  const limits = defaultRpcServerOptions.limits
  const shown: Record<string, string> = {
    maxBodyBytes: String(limits.maxBodyBytes),
    maxBatchSize: String(limits.maxBatchSize),
    maxLogsBlockRange: String(limits.maxLogsBlockRange),
    maxLogsResults: String(limits.maxLogsResults),
    maxSubscriptionsPerConnection: String(limits.maxSubscriptionsPerConnection),
    maxFilters: String(limits.maxFilters),
    requestTimeoutMs: `${limits.requestTimeoutMs / 1000}s`,
    gasCap: String(limits.gasCap),
  }
  t.same(Object.keys(RPC_LIMIT_FLAGS).sort(), Object.keys(limits).sort(), 'one flag per limit')
  for (const [key, flag] of Object.entries(RPC_LIMIT_FLAGS)) {
    const spec = findFlag(flag)
    t.ok(spec, `--${flag} exists`)
    t.equal(spec?.defaultText.split(' ')[0], shown[key], `--${flag} documents the default ${shown[key]}`)
  }
})

t.test('flags, env vars and config keys map onto rpcLimits', async (t) => {
  const files = { '/c.json': JSON.stringify({ rpc: { logs: { range: 50, limit: 70 }, 'batch-request-limit': 9 } }) }
  const env = { OPENLEDGER_RPC_GASCAP: '1000000', OPENLEDGER_RPC_EVMTIMEOUT: '1500ms', OPENLEDGER_RPC_BATCH_REQUEST_LIMIT: '8' }
  const parsed = parseCli(
    ['node', '--config', '/c.json', '--rpc.body.limit', '2048', '--rpc.ws.subscriptions=3', '--rpc.filters.limit', '4', '--rpc.batch-request-limit', '7'],
    io(env, files),
  )
  t.same(
    toNodeOptions(parsed.values).rpcLimits,
    {
      maxBodyBytes: 2048,
      maxBatchSize: 7,
      maxLogsBlockRange: 50n,
      maxLogsResults: 70,
      maxSubscriptionsPerConnection: 3,
      maxFilters: 4,
      requestTimeoutMs: 1500,
      gasCap: 1_000_000n,
    },
    'flag beats env beats config; ranges and gas as bigint, the timeout in ms',
  )
  t.equal(toNodeOptions(parseCli(['node'], io()).values).rpcLimits, undefined, "no limit flag: rpc/'s defaults apply")
})

t.test('limit values are validated, naming the option', async (t) => {
  rejects(t, ['--rpc.body.limit', '100'], '--rpc.body.limit')
  rejects(t, ['--rpc.batch-request-limit', '0'], '--rpc.batch-request-limit')
  rejects(t, ['--rpc.logs.range', '-5'], '--rpc.logs.range')
  rejects(t, ['--rpc.logs.limit', 'many'], '--rpc.logs.limit')
  rejects(t, ['--rpc.ws.subscriptions', '1.5'], '--rpc.ws.subscriptions')
  rejects(t, ['--rpc.filters.limit', '0'], '--rpc.filters.limit')
  rejects(t, ['--rpc.gascap', '0'], '--rpc.gascap')
  rejects(t, ['--rpc.evmtimeout', '30'], '--rpc.evmtimeout: must be a duration such as 30s')
  rejects(t, ['--rpc.evmtimeout', '0s'], '--rpc.evmtimeout: must be between 1ms and 1h')
  rejects(t, ['--rpc.evmtimeout', '2h'], '--rpc.evmtimeout')
  rejects(t, [], 'OPENLEDGER_RPC_EVMTIMEOUT', { OPENLEDGER_RPC_EVMTIMEOUT: 'soon' })
  t.equal(parseDuration('250ms'), 250)
  t.equal(parseDuration(' 2m '), 120_000)
  t.equal(parseDuration('1h'), 3_600_000)
  t.equal(parseDuration('1.5s'), undefined, 'one whole unit only')
})

t.test('--rpc.addr takes an IP literal or a host name, never junk', async (t) => {
  const addr = (text: string): unknown => parseCli(['--rpc.addr', text], io()).values['rpc.addr']
  t.equal(addr('0.0.0.0'), '0.0.0.0')
  t.equal(addr('::1'), '::1')
  t.equal(addr('[::1]'), '::1', 'brackets are dropped')
  t.equal(addr('localhost'), 'localhost')
  t.equal(addr('rpc.example.internal'), 'rpc.example.internal')
  rejects(t, ['--rpc.addr', 'not a host!'], '--rpc.addr: must be an IP address or a host name')
  rejects(t, ['--rpc.addr', '127.0.0.1:8545'], 'the port goes in --rpc.port')
  rejects(t, ['--rpc.addr', '999.1.1.1'], '--rpc.addr')
  rejects(t, ['--rpc.addr', '-bad-.com'], '--rpc.addr')
  rejects(t, ['--rpc.addr', 'http://localhost'], '--rpc.addr')
  rejects(t, [], 'OPENLEDGER_RPC_ADDR', { OPENLEDGER_RPC_ADDR: 'a_b' })
})

t.test('--rpc.call-workers: flag and env var reach createNode; out of range is refused naming it', async (t) => {
  t.equal(toNodeOptions(parseCli(['node', '--rpc.call-workers', '3'], io()).values).rpcCallWorkers, 3)
  t.equal(toNodeOptions(parseCli(['node'], io({ OPENLEDGER_RPC_CALL_WORKERS: '0' })).values).rpcCallWorkers, 0, 'the env var; 0 keeps calls on the main thread')
  t.equal(toNodeOptions(parseCli(['node'], io()).values).rpcCallWorkers, undefined, 'unset: the node picks cores - 1')
  rejects(t, ['--rpc.call-workers', '65'], '--rpc.call-workers')
  rejects(t, ['--rpc.call-workers', '-1'], '--rpc.call-workers')
})
