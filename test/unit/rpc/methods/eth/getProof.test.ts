// eth_getProof / eth_getStorageAt storage keys, decoded and echoed as geth does
// (internal/ethapi decodeStorageKey and GetProof's output key rule).
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../../../genesis/index.ts'
import { TOKEN_ADDRESS } from '../../../../fixtures/rpc/fakeBackend.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

const h = await startHarness()
t.teardown(() => h.close())
const dev0 = DEV_ACCOUNTS[0]!.address.toLowerCase()
const full = (hex: string): string => '0x' + hex.padStart(64, '0')

t.test('keys are echoed as given when 32 bytes, else as a quantity', async (t) => {
  const cases: [given: string, echoed: string][] = [
    ['0x1', '0x1'],
    ['0x01', '0x1'],
    ['0x0001', '0x1'],
    ['0x0', '0x0'],
    ['0x', '0x0'],
    ['1', '0x1'],
    ['0xABC', '0xabc'],
    [full('1'), full('1')],
    [full('0'), full('0')],
    ['0X' + 'AB'.repeat(32), '0x' + 'ab'.repeat(32)],
  ]
  const proof = (await h.rpc('eth_getProof', [dev0, cases.map(([k]) => k), 'latest'])).result as { storageProof: { key: string }[] }
  t.same(
    proof.storageProof.map((p) => p.key),
    cases.map(([, e]) => e),
  )
})

t.test('key errors are -32602 naming the key', async (t) => {
  const long = '0x' + '1'.repeat(65)
  t.same((await h.rpc('eth_getProof', [dev0, [long], 'latest'])).error, {
    code: -32602,
    message: `storage key too long (want at most 32 bytes): "${long}"`,
  })
  t.same((await h.rpc('eth_getProof', [dev0, ['0xzz'], 'latest'])).error, { code: -32602, message: 'invalid hex in storage key: "0xzz"' })
  t.same((await h.rpc('eth_getProof', [dev0, [1], 'latest'])).error, {
    code: -32602,
    message: 'invalid argument 1: json: cannot unmarshal number into Go value of type string',
  })
  t.same((await h.rpc('eth_getProof', [dev0, '0x1', 'latest'])).error, {
    code: -32602,
    message: 'invalid argument 1: json: cannot unmarshal string into Go value of type []string',
  })
  const many = Array.from({ length: 1025 }, (_, i) => '0x' + i.toString(16))
  t.same((await h.rpc('eth_getProof', [dev0, many, 'latest'])).error, { code: -32602, message: 'too many storage keys requested (max 1024, got 1025)' })
  t.equal((await h.rpc('eth_getProof', [dev0, many.slice(0, 1024), 'latest'])).error, undefined, '1024 keys are fine')
})

t.test('eth_getStorageAt decodes keys the same way', async (t) => {
  const word = '0x' + '00'.repeat(31) + '2a'
  for (const key of ['0x0', '0x00', '0', '', full('0')]) {
    t.equal((await h.rpc('eth_getStorageAt', [TOKEN_ADDRESS, key, 'latest'])).result, word, JSON.stringify(key))
  }
  t.equal((await h.rpc('eth_getStorageAt', [TOKEN_ADDRESS, '0xq', 'latest'])).error?.message, 'invalid hex in storage key: "0xq"')
})
