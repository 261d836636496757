// eth_getLogs / eth_getFilterLogs block ranges as geth's eth/filters answers them: an empty
// range, a range past the head and "pending" are -32602; an unknown blockHash is -32000.
import t from 'tap'
import { toQuantity } from '../../../../../rpc/index.ts'
import { TOKEN_ADDRESS } from '../../../../fixtures/rpc/fakeBackend.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

const h = await startHarness()
t.teardown(() => h.close())
for (let i = 0; i < 3; i++) {
  await h.backend.sendTransaction(h.backend.signedTransfer(0, BigInt(i), TOKEN_ADDRESS, 1n))
  h.backend.mine()
}
const head = h.backend.head().header.number
const q = toQuantity

t.test('ranges past the head or empty answer -32602 with geth wording', async (t) => {
  const cases: [criteria: Record<string, unknown>, message: string][] = [
    [{ fromBlock: q(head + 1n) }, 'invalid block range params'],
    [{ fromBlock: q(head + 1n), toBlock: 'latest' }, 'invalid block range params'],
    [{ fromBlock: '0x1', toBlock: q(head + 1n) }, 'block range extends beyond current head block'],
    [{ fromBlock: q(head + 5n), toBlock: q(head + 9n) }, 'block range extends beyond current head block'],
    [{ fromBlock: '0x3', toBlock: '0x1' }, 'invalid block range params'],
    [{ fromBlock: 'latest', toBlock: '0x1' }, 'invalid block range params'],
    [{ fromBlock: 'pending' }, 'pending logs are not supported'],
    [{ fromBlock: '0x0', toBlock: 'pending' }, 'pending logs are not supported'],
  ]
  for (const [criteria, message] of cases) {
    t.same((await h.rpc('eth_getLogs', [criteria])).error, { code: -32602, message }, JSON.stringify(criteria))
    const id = (await h.rpc('eth_newFilter', [criteria])).result
    if (typeof id === 'string') {
      t.same((await h.rpc('eth_getFilterLogs', [id])).error, { code: -32602, message }, `eth_getFilterLogs ${JSON.stringify(criteria)}`)
    }
  }
})

t.test('ranges within the head answer logs', async (t) => {
  const ok: [criteria: Record<string, unknown>, logs: number][] = [
    [{}, 1],
    [{ fromBlock: '0x0' }, 3],
    [{ fromBlock: q(head), toBlock: q(head) }, 1],
    [{ fromBlock: 'earliest', toBlock: 'latest' }, 3],
    [{ fromBlock: '0x1', toBlock: 'safe' }, 3],
    [{ fromBlock: '0x1', toBlock: 'finalized' }, 2],
  ]
  for (const [criteria, logs] of ok) {
    const r = await h.rpc('eth_getLogs', [criteria])
    t.equal((r.result as unknown[] | undefined)?.length, logs, JSON.stringify(criteria))
  }
})

t.test('an unknown blockHash is -32000 "unknown block"', async (t) => {
  t.same((await h.rpc('eth_getLogs', [{ blockHash: '0x' + '11'.repeat(32) }])).error, { code: -32000, message: 'unknown block' })
})
