import t from 'tap'
import { poll } from '../../fixtures/poll.ts'
import { checkResponse, createFuzzer } from '../../fixtures/rpc/fuzzRequests.ts'
import { startDevNode } from './nodeProcess.ts'

const node = await startDevNode()
t.teardown(() => node.stop())

async function post(body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(node.url, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
  return { status: res.status, text: await res.text() }
}

t.test('a few hundred malformed requests against the real node: well-formed errors, node keeps serving', async (t) => {
  const next = createFuzzer(0xbad5eed)
  const N = 400
  let errors = 0
  for (let i = 0; i < N; i++) {
    const body = next()
    const r = await post(body)
    if (r.text === '') continue
    if (r.status !== 200) t.fail(`request #${i} status ${r.status}: ${body.slice(0, 80)}`)
    const c = checkResponse(r.text)
    if (c.problem !== undefined) t.fail(`request #${i}: ${c.problem}: ${r.text.slice(0, 200)} for ${body.slice(0, 120)}`)
    if (c.internal > 0) t.fail(`request #${i} hit an internal error: ${r.text.slice(0, 200)} for ${body.slice(0, 200)}`)
    errors += c.errors
  }
  t.ok(errors > N / 2, `most fuzzed requests are errors (${errors})`)
  const alive = await post('{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}')
  t.equal(alive.text, '{"jsonrpc":"2.0","id":1,"result":"0x539"}')
  t.equal(node.child.exitCode, null, 'node still running')
})

t.test('oversized body and batch over HTTP, garbage over WebSocket', async (t) => {
  const big = await post('{"jsonrpc":"2.0","id":1,"method":"web3_sha3","params":["0x' + 'ab'.repeat(3 * 1024 * 1024) + '"]}')
  t.equal(big.status, 413)
  t.equal(JSON.parse(big.text).error.code, -32005)
  const batch = await post(JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId' }))))
  t.same(JSON.parse(batch.text), [{ jsonrpc: '2.0', id: 0, error: { code: -32600, message: 'batch too large' } }], "geth's answer to an oversized batch")
  const { WebSocket } = await import('ws')
  const ws = new WebSocket(node.wsUrl)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const replies: string[] = []
  ws.on('message', (d) => replies.push(d.toString()))
  ws.send('{not json')
  ws.send(Buffer.from([0xff, 0xfe, 0x00]))
  ws.send('{"jsonrpc":"2.0","id":9,"method":"eth_subscribe","params":["bogus"]}')
  ws.send('{"jsonrpc":"2.0","id":10,"method":"eth_chainId"}')
  await poll(() => replies.length >= 4, { timeoutMs: 5000, what: () => `4 replies (have ${replies.length})` })
  t.equal(replies.length, 4)
  t.equal(JSON.parse(replies[0]!).error.code, -32700)
  t.equal(JSON.parse(replies[1]!).error.code, -32700)
  t.same(JSON.parse(replies[2]!).error, { code: -32601, message: 'no "bogus" subscription in eth namespace' })
  t.equal(JSON.parse(replies[3]!).result, '0x539')
  ws.close()
})
