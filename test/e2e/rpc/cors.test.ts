// --rpc.cors end to end: the CLI flag reaches the server's CORS headers and its WebSocket origin check.
import t from 'tap'
import { upgradeStatus } from '../../fixtures/rpc/harness.ts'
import { startDevNode } from './nodeProcess.ts'

const node = await startDevNode(['--rpc.cors', 'https://app.example,https://other.example'])
t.teardown(() => node.stop())

const body = '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}'
function post(origin: string): Promise<Response> {
  return fetch(node.url, { method: 'POST', body, headers: { 'content-type': 'application/json', origin } })
}

t.test('HTTP: listed origins are echoed, others get no CORS header', async (t) => {
  for (const origin of ['https://app.example', 'https://other.example']) {
    const ok = await post(origin)
    t.equal(ok.headers.get('access-control-allow-origin'), origin, origin)
    t.same(await ok.json(), { jsonrpc: '2.0', id: 1, result: '0x539' })
  }
  const evil = await post('https://evil.example')
  t.equal(evil.headers.get('access-control-allow-origin'), null, 'an unlisted origin is not allowed (the browser withholds the answer)')
  const preflight = await fetch(node.url, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  })
  t.equal(preflight.status, 204)
  t.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example')
  t.match(preflight.headers.get('access-control-allow-headers'), /content-type/)
  const badPreflight = await fetch(node.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  t.equal(badPreflight.headers.get('access-control-allow-origin'), null)
})

t.test('WebSocket: listed origins and non-browser clients connect, others get 403', async (t) => {
  t.equal(await upgradeStatus(node.wsUrl, 'https://app.example'), 101)
  t.equal(await upgradeStatus(node.wsUrl), 101, 'no Origin header')
  t.equal(await upgradeStatus(node.wsUrl, 'https://evil.example'), 403)
  t.equal(await upgradeStatus(node.wsUrl, 'http://localhost:3000'), 403, 'no localhost default once origins are listed')
})
