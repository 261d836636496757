// eth_getStorageValues (execution-apis state.yaml; geth's GetStorageValues).
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../../../genesis/index.ts'
import { TOKEN_ADDRESS } from '../../../../fixtures/rpc/fakeBackend.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

const h = await startHarness()
t.teardown(() => h.close())
const dev0 = DEV_ACCOUNTS[0]!.address

t.test('many slots of many accounts in one call', async (t) => {
  const r = await h.rpc('eth_getStorageValues', [
    { [TOKEN_ADDRESS.toUpperCase().replace('0X', '0x')]: ['0x0', '0x' + '00'.repeat(32), '0x1'], [dev0]: ['0x0'] },
    'latest',
  ])
  t.same(r.result, {
    [TOKEN_ADDRESS]: ['0x' + '00'.repeat(31) + '2a', '0x' + '00'.repeat(31) + '2a', '0x' + '00'.repeat(32)],
    [dev0.toLowerCase()]: ['0x' + '00'.repeat(32)],
  })
  t.same(
    (await h.rpc('eth_getStorageValues', [{ [TOKEN_ADDRESS]: ['0x0'] }])).result,
    { [TOKEN_ADDRESS]: ['0x' + '00'.repeat(31) + '2a'] },
    'block defaults to latest',
  )
})

t.test('limits and errors as geth', async (t) => {
  t.same((await h.rpc('eth_getStorageValues', [{}])).error, { code: -32602, message: 'empty request' })
  t.same((await h.rpc('eth_getStorageValues', [{ [TOKEN_ADDRESS]: [] }])).error, { code: -32602, message: 'empty request' })
  const many = Array.from({ length: 1025 }, (_, i) => '0x' + i.toString(16))
  t.same((await h.rpc('eth_getStorageValues', [{ [TOKEN_ADDRESS]: many }])).error, { code: -32005, message: 'too many slots (max 1024)' })
  t.equal((await h.rpc('eth_getStorageValues', [{ '0x12': ['0x0'] }])).error?.code, -32602)
  t.same((await h.rpc('eth_getStorageValues', [{ [TOKEN_ADDRESS]: ['0x0'] }, '0x99'])).error, { code: -32001, message: 'header not found' })
})
