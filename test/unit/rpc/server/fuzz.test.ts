import t from 'tap'
import { checkResponse, createFuzzer, createTxFuzzer } from '../../../fixtures/rpc/fuzzRequests.ts'
import { startHarness } from '../../../fixtures/rpc/harness.ts'

const h = await startHarness({ dev: true })
t.teardown(() => h.close())

t.test('malformed requests get well-formed errors and the server keeps serving', async (t) => {
  const next = createFuzzer(0x5eed)
  const N = 400
  let errors = 0
  for (let i = 0; i < N; i++) {
    const body = next()
    const r = await h.post(body)
    if (r.text === '') continue // notifications only
    if (r.status !== 200) t.fail(`request #${i} status ${r.status}: ${body.slice(0, 80)}`)
    const c = checkResponse(r.text)
    if (c.problem !== undefined) t.fail(`request #${i}: ${c.problem}: ${r.text.slice(0, 200)} for ${body.slice(0, 120)}`)
    if (c.internal > 0) t.fail(`request #${i} hit an internal error: ${body.slice(0, 160)}`)
    errors += c.errors
  }
  t.ok(errors > N / 2, `most fuzzed requests are errors (${errors})`)
  t.equal((await h.rpc('eth_chainId')).result, '0x539')
})

t.test('tx requests with every mix of fee fields, chain ids, gas and values never hit an internal error', async (t) => {
  const next = createTxFuzzer(0xfee5)
  const N = 300
  let errors = 0
  for (let i = 0; i < N; i++) {
    const body = next()
    const r = await h.post(body)
    const c = checkResponse(r.text)
    if (c.problem !== undefined) t.fail(`request #${i}: ${c.problem}: ${r.text.slice(0, 200)}`)
    if (c.internal > 0) t.fail(`request #${i} hit an internal error: ${body}`)
    errors += c.errors
  }
  t.ok(errors > 0 && errors < N, `a mix of answers and errors (${errors} errors of ${N})`)
})
