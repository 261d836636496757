// EIP-7702 authorization lists in call objects: eth_call, eth_estimateGas and
// eth_createAccessList honour them (execution-apis GenericTransaction.authorizationList).
import { bigIntToBytes, bigIntToHex, bytesToBigInt, bytesToHex, eoaCode7702SignAuthorization, hexToBytes } from '@ethereumjs/util'
import t from 'tap'
import { startNodeHarness } from '../../../../fixtures/rpc/nodeHarness.ts'
import { createTestSpec, testAccounts } from '../../../../fixtures/chain/testSpec.ts'

// runtime: slot0 += 1; return slot0
const COUNTER = '0x00000000000000000000000000000000000c0117'
const COUNTER_CODE = '0x6000546001018060005560005260206000f3' as const

const accounts = testAccounts(2, 'authorization-list')
const spec = createTestSpec({ accounts, extraAlloc: { [COUNTER]: { balance: 0n, code: COUNTER_CODE } } })
const node = await startNodeHarness({ spec, dev: false })
t.teardown(() => node.close())
const { rpc } = node

const [chainId, address, nonce, yParity, r, s] = eoaCode7702SignAuthorization(
  [bigIntToBytes(spec.chainId), hexToBytes(COUNTER), new Uint8Array(0)],
  accounts[1]!.key,
)
const q = (b: Uint8Array): string => bigIntToHex(bytesToBigInt(b))
const auth = { chainId: q(chainId), address: bytesToHex(address), nonce: q(nonce), yParity: q(yParity), r: q(r), s: q(s) }
const call = { from: accounts[0]!.hex, to: accounts[1]!.hex }

t.test('eth_call runs the delegated code', async (t) => {
  t.equal((await rpc('eth_call', [call, 'latest'])).result, '0x', 'without the list the authority has no code')
  t.equal((await rpc('eth_call', [{ ...call, authorizationList: [auth] }, 'latest'])).result, '0x' + '0'.repeat(63) + '1')
})

t.test('eth_estimateGas counts the authorization', async (t) => {
  const plain = BigInt((await rpc('eth_estimateGas', [call, 'latest'])).result)
  const delegated = BigInt((await rpc('eth_estimateGas', [{ ...call, authorizationList: [auth] }, 'latest'])).result)
  t.equal(plain, 21_000n)
  t.ok(delegated > plain + 12_500n, `with the list: ${delegated} (authorization cost and the delegated SSTORE)`)
})

t.test('eth_createAccessList runs with the list', async (t) => {
  const r = await rpc('eth_createAccessList', [{ ...call, authorizationList: [auth] }, 'latest'])
  t.equal(r.error, undefined)
  t.equal(r.result.error, undefined, 'no execution error')
  t.ok(
    r.result.accessList.some((e: { address: string; storageKeys: string[] }) => e.storageKeys.length === 1),
    "the authority's slot 0 is listed",
  )
})

t.test('malformed authorizations are invalid params naming the field', async (t) => {
  const { r: _r, ...missing } = auth
  const bad = await rpc('eth_call', [{ ...call, authorizationList: [missing] }, 'latest'])
  t.equal(bad.error?.code, -32602)
  t.match(bad.error?.message, /missing required field 'r' for SetCodeAuthorization/)
  const notList = await rpc('eth_call', [{ ...call, authorizationList: 5 }, 'latest'])
  t.equal(notList.error?.code, -32602)
  const empty = await rpc('eth_call', [{ ...call, authorizationList: [] }, 'latest'])
  t.equal(empty.error?.code, -32000)
  t.match(empty.error?.message, /^EIP-7702 transaction with empty auth list/)
})
