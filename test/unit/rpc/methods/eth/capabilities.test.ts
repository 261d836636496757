// eth_capabilities (execution-apis capabilities.yaml) of an archive node.
import t from 'tap'
import { toHex } from '../../../../../rpc/index.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

t.test('the head and every resource from genesis', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const r = (await h.rpc('eth_capabilities')).result as Record<string, unknown>
  t.same(r.head, { number: '0x0', hash: toHex(h.backend.head().hash()) })
  for (const resource of ['state', 'tx', 'logs', 'receipts', 'blocks', 'stateproofs']) {
    t.same(r[resource], { disabled: false, oldestBlock: '0x0' }, resource)
  }
  t.same(Object.keys(r), ['head', 'state', 'tx', 'logs', 'receipts', 'blocks', 'stateproofs'])
})
