import t from 'tap'
import type { RpcMethod } from '../../../../rpc/index.ts'
import { startHarness, upgradeStatus, WsClient } from '../../../fixtures/rpc/harness.ts'

const slow: RpcMethod = {
  name: 'test_slow',
  minParams: 0,
  maxParams: 0,
  handler: () => new Promise((resolve) => setTimeout(() => resolve('late'), 2000).unref()),
}

const h = await startHarness({
  limits: {
    maxBodyBytes: 4096,
    maxBatchSize: 5,
    maxLogsBlockRange: 100n,
    maxLogsResults: 100,
    maxSubscriptionsPerConnection: 2,
    maxFilters: 100,
    requestTimeoutMs: 100,
    gasCap: 50_000_000n,
  },
  cors: ['https://app.example'],
  extraMethods: [slow],
  httpHandlers: {
    '/metrics': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end('rpc_up 1\n')
    },
  },
})
t.teardown(() => h.close())

t.test('single request', async (t) => {
  const r = await h.post('{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}')
  t.equal(r.status, 200)
  t.match(r.headers.get('content-type'), /application\/json/)
  t.same(r.json, { jsonrpc: '2.0', id: 7, result: '0x539' })
})

t.test('string id and omitted params', async (t) => {
  const r = await h.post('{"jsonrpc":"2.0","id":"abc","method":"eth_blockNumber"}')
  t.same(r.json, { jsonrpc: '2.0', id: 'abc', result: '0x0' })
})

t.test('batch keeps order; notifications get no entry', async (t) => {
  const r = await h.post(
    JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId' },
      { jsonrpc: '2.0', method: 'eth_chainId' },
      { jsonrpc: '2.0', id: 2, method: 'net_version' },
      { jsonrpc: '2.0', id: 3, method: 'nope_nope' },
    ]),
  )
  const arr = r.json as { id: number; result?: unknown; error?: { code: number } }[]
  t.equal(arr.length, 3)
  t.same(arr[0], { jsonrpc: '2.0', id: 1, result: '0x539' })
  t.same(arr[1], { jsonrpc: '2.0', id: 2, result: '1337' })
  t.equal(arr[2]!.error!.code, -32601)
})

t.test('only notifications: empty body', async (t) => {
  const r = await h.post('{"jsonrpc":"2.0","method":"eth_chainId"}')
  t.equal(r.status, 200)
  t.equal(r.text, '')
})

t.test('EIP-1474 envelope errors', async (t) => {
  const parse = await h.post('{"jsonrpc":"2.0",')
  t.same(parse.json, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } })
  const version = await h.post('{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}')
  t.equal((version.json as { error: { code: number } }).error.code, -32600)
  const noMethod = await h.post('{"jsonrpc":"2.0","id":1}')
  t.equal((noMethod.json as { error: { code: number } }).error.code, -32600)
  const scalar = await h.post('42')
  t.equal((scalar.json as { error: { code: number } }).error.code, -32600)
  const empty = await h.post('[]')
  t.equal((empty.json as { error: { code: number } }).error.code, -32600)
  const unknown = await h.rpc('eth_doesNotExist')
  t.same(unknown.error, { code: -32601, message: 'the method eth_doesNotExist does not exist/is not available' })
  const objParams = await h.post('{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":{"a":1}}')
  t.equal((objParams.json as { error: { code: number } }).error.code, -32602)
  const tooMany = await h.rpc('eth_chainId', [1])
  t.same(tooMany.error, { code: -32602, message: 'too many arguments, want at most 0' })
  const missing = await h.rpc('eth_getBalance', [])
  t.same(missing.error, { code: -32602, message: 'missing value for required argument 0' })
  const badHex = await h.rpc('eth_getBalance', ['0x1234', 'latest'])
  t.equal(badHex.error!.code, -32602)
  t.match(badHex.error!.message, /invalid argument 0/)
})

t.test('body size limit answers 413 with -32005', async (t) => {
  const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'web3_sha3', params: ['0x' + 'ab'.repeat(4096)] })
  const r = await h.post(big)
  t.equal(r.status, 413)
  t.equal((r.json as { error: { code: number } }).error.code, -32005)
  // still serving
  t.equal((await h.rpc('eth_chainId')).result, '0x539')
})

t.test('batch size limit: one -32600 "batch too large" carrying the first call\'s id (geth)', async (t) => {
  const batch = Array.from({ length: 6 }, (_, i) => ({ jsonrpc: '2.0', id: i + 10, method: 'eth_chainId' }))
  const r = await h.post(JSON.stringify([{ jsonrpc: '2.0', method: 'eth_chainId' }, ...batch]))
  t.same(r.json, [{ jsonrpc: '2.0', id: 10, error: { code: -32600, message: 'batch too large' } }])
  const noCalls = await h.post(JSON.stringify(Array.from({ length: 6 }, () => ({ jsonrpc: '2.0', method: 'eth_chainId' }))))
  t.same(noCalls.json, [{ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch too large' } }])
  const atLimit = await h.post(JSON.stringify(batch.slice(0, 5)))
  t.equal((atLimit.json as unknown[]).length, 5, 'a batch at the limit is served')
})

t.test('notifications get no answer at all, whatever is wrong with them', async (t) => {
  for (const body of [
    { jsonrpc: '2.0', method: 'eth_getBalance', params: [] },
    { jsonrpc: '2.0', method: 'eth_getBalance', params: ['0x12'] },
    { jsonrpc: '2.0', method: 'eth_chainId', params: [1, 2] },
    { jsonrpc: '2.0', method: 'eth_getBalance', params: { a: 1 } },
    { jsonrpc: '2.0', method: 'eth_subscribe', params: ['newHeads'] },
    { jsonrpc: '2.0', method: 'eth_unsubscribe', params: ['0x1'] },
    { jsonrpc: '2.0', method: 'nope_nope' },
    { jsonrpc: '2.0', method: 'test_slow' },
  ]) {
    const r = await h.post(JSON.stringify(body))
    t.same([r.status, r.text], [200, ''], JSON.stringify(body))
  }
  const mixed = await h.post(
    JSON.stringify([
      { jsonrpc: '2.0', method: 'eth_getBalance', params: ['0x12'] },
      { jsonrpc: '2.0', id: 4, method: 'eth_chainId' },
    ]),
  )
  t.same(mixed.json, [{ jsonrpc: '2.0', id: 4, result: '0x539' }])
  // not a notification: a wrong version or no method is an invalid request, answered with id null
  const badVersion = await h.post(JSON.stringify({ jsonrpc: '1.0', method: 'eth_chainId' }))
  t.equal((badVersion.json as { error: { code: number } }).error.code, -32600)
  const emptyMethod = await h.post(JSON.stringify({ jsonrpc: '2.0', method: '' }))
  t.same((emptyMethod.json as { id: unknown; error: { code: number } }).error.code, -32600, 'an empty method makes no notification')
})

t.test('POST bodies must be declared JSON: other content types answer 415 (geth)', async (t) => {
  const body = '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}'
  for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json-rpc', 'application/jsonrequest']) {
    const r = await h.post(body, { 'content-type': type })
    t.same([r.status, (r.json as { result?: string } | undefined)?.result], [200, '0x539'], type)
  }
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
    const r = await h.post(body, { 'content-type': type })
    t.same([r.status, r.text], [415, 'invalid content type, only application/json is supported\n'], type)
    t.match(r.headers.get('content-type'), /^text\/plain/)
  }
  const none = await fetch(h.url, { method: 'POST', body: new Uint8Array(Buffer.from(body)) })
  t.equal(none.status, 415, 'no content type at all')
  const cors = await h.post(body, { 'content-type': 'text/plain', origin: 'https://app.example' })
  t.equal(cors.headers.get('access-control-allow-origin'), 'https://app.example', 'the 415 is readable cross-origin')
  t.equal((await h.rpc('eth_chainId')).result, '0x539', 'still serving')
})

t.test("WebSocket origins: configured list, else geth's default (no Origin or localhost)", async (t) => {
  t.equal(await upgradeStatus(h.wsUrl), 101, 'no Origin header: not a browser, accepted')
  t.equal(await upgradeStatus(h.wsUrl, 'https://app.example'), 101, 'a configured origin')
  t.equal(await upgradeStatus(h.wsUrl, 'https://evil.example'), 403, 'any other origin')
  t.equal(await upgradeStatus(h.wsUrl, 'http://localhost:3000'), 403, 'localhost is not a default once origins are configured')
  const open = await startHarness()
  t.teardown(() => open.close())
  t.equal(await upgradeStatus(open.wsUrl), 101, 'no origins configured: no Origin header accepted')
  t.equal(await upgradeStatus(open.wsUrl, 'http://localhost'), 101)
  t.equal(await upgradeStatus(open.wsUrl, 'http://localhost:5173'), 101, 'localhost on any port')
  t.equal(await upgradeStatus(open.wsUrl, 'https://evil.example'), 403, 'a foreign page is refused')
  t.equal(await upgradeStatus(open.wsUrl, 'https://localhost'), 403, "geth's default rule is http://localhost")
  t.equal(await upgradeStatus(open.wsUrl, 'null'), 403, 'an opaque origin')
  const any = await startHarness({ cors: ['*'] })
  t.teardown(() => any.close())
  t.equal(await upgradeStatus(any.wsUrl, 'https://evil.example'), 101, '"*" allows any origin')
})

t.test('request timeout answers -32002', async (t) => {
  const r = await h.rpc('test_slow')
  t.same(r.error, { code: -32002, message: 'request timed out' })
})

t.test('CORS: allowed origin echoed, preflight answered, others not', async (t) => {
  const ok = await h.post('{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', { origin: 'https://app.example' })
  t.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example')
  const other = await h.post('{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', { origin: 'https://evil.example' })
  t.equal(other.headers.get('access-control-allow-origin'), null)
  const pre = await fetch(h.url, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  })
  t.equal(pre.status, 204)
  t.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example')
  t.match(pre.headers.get('access-control-allow-methods'), /POST/)
})

t.test('extra HTTP routes and GET health', async (t) => {
  const m = await fetch(h.url + '/metrics')
  t.equal(await m.text(), 'rpc_up 1\n')
  const g = await fetch(h.url)
  t.equal(g.status, 200)
})

t.test('WebSocket: calls, subscription limit, wsOnly methods over HTTP', async (t) => {
  const ws = await WsClient.connect(h.wsUrl)
  t.teardown(() => ws.close())
  t.same(await ws.call('eth_chainId'), { jsonrpc: '2.0', id: 1, result: '0x539' })
  const s1 = await ws.call('eth_subscribe', ['newHeads'])
  const s2 = await ws.call('eth_subscribe', ['newPendingTransactions'])
  t.type(s1.result, 'string')
  t.type(s2.result, 'string')
  const s3 = (await ws.call('eth_subscribe', ['newHeads'])) as { error: { code: number; message: string } }
  t.equal(s3.error.code, -32005)
  t.equal((await ws.call('eth_unsubscribe', [s1.result])).result, true)
  t.same((await ws.call('eth_unsubscribe', [s1.result])).error, { code: -32000, message: 'subscription not found' }, 'geth answers an unknown id with an error')
  const overHttp = await h.rpc('eth_subscribe', ['newHeads'])
  t.same(overHttp.error, { code: -32601, message: 'notifications not supported' })
  const unsubscribeOverHttp = await h.rpc('eth_unsubscribe', [s2.result])
  t.same(unsubscribeOverHttp.error, { code: -32000, message: 'subscription not found' }, 'HTTP has no subscriptions')
  const bad = (await ws.call('eth_subscribe', ['nonsense'])) as { error: { code: number; message: string } }
  t.same(bad.error, { code: -32601, message: 'no "nonsense" subscription in eth namespace' })
})
