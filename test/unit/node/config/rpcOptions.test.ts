// Start-up checks of the JSON-RPC listen address and limits (node/config/rpcOptions.ts).
import { createServer } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import { CONFIG_ERROR, checkRpcLimits, checkRpcListen } from '../../../../node/config/index.ts'

async function expectCode(t: Test, p: Promise<unknown>, code: string, named: string): Promise<void> {
  await t.rejects(p, { code, message: new RegExp(named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }, `${code} naming ${named}`)
}

t.test('a busy port is refused naming --rpc.port', async (t) => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const port = (server.address() as { port: number }).port
  await expectCode(t, checkRpcListen('127.0.0.1', port), CONFIG_ERROR.RPC_PORT_UNAVAILABLE, `--rpc.port ${port} is already in use on 127.0.0.1`)
  // the probe leaves nothing bound: a free port stays free
  const free = createServer()
  await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
  const freePort = (free.address() as { port: number }).port
  await new Promise<void>((resolve) => free.close(() => resolve()))
  await checkRpcListen('127.0.0.1', freePort)
  await checkRpcListen('127.0.0.1', freePort)
  t.pass('the same free port passes twice')
})

t.test('addresses that cannot be listened on are refused naming --rpc.addr', async (t) => {
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine
  await expectCode(t, checkRpcListen('192.0.2.1', 0), CONFIG_ERROR.RPC_ADDR_UNAVAILABLE, '--rpc.addr: 192.0.2.1 is not an address of this machine')
  await expectCode(t, checkRpcListen('no such host', 0), CONFIG_ERROR.INVALID_OPTION, '--rpc.addr: must be an IP address or a host name')
  const unresolvable = (): Promise<never> => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))
  await expectCode(
    t,
    checkRpcListen('nowhere.invalid', 0, unresolvable),
    CONFIG_ERROR.RPC_ADDR_UNAVAILABLE,
    '--rpc.addr: host name "nowhere.invalid" does not resolve',
  )
  await checkRpcListen('localhost', 0)
  t.pass('localhost resolves and binds')
})

t.test('limits given to createNode are checked naming the flag', async (t) => {
  t.doesNotThrow(() => checkRpcLimits({ maxBatchSize: 1, gasCap: 21_000n, maxLogsBlockRange: 1n }))
  t.throws(() => checkRpcLimits({ maxBatchSize: 0 }), { code: CONFIG_ERROR.INVALID_OPTION, message: /--rpc\.batch-request-limit/ })
  t.throws(() => checkRpcLimits({ gasCap: 20_999n }), { code: CONFIG_ERROR.INVALID_OPTION, message: /--rpc\.gascap/ })
  t.throws(() => checkRpcLimits({ requestTimeoutMs: 2.5 }), { code: CONFIG_ERROR.INVALID_OPTION, message: /--rpc\.evmtimeout/ })
  t.throws(() => checkRpcLimits({ maxBodyBytes: 10 }), { code: CONFIG_ERROR.INVALID_OPTION, message: /--rpc\.body\.limit/ })
})
