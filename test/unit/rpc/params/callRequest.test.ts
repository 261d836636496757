// Randomized call objects (fixed seed) through eth_call, eth_estimateGas, eth_createAccessList
// and debug_traceCall on the REAL node backend: whatever the fields (missing, zero, 2^64-1,
// 2^256-1, huge data, wrong types, both fee styles, a wrong chain id, a value above the balance,
// any "to"), the answer is a result or a user-facing error, never -32603. Each failure names its
// input. Messages no tx can carry answer geth's words (tested by name in
// test/unit/runtime/call/callSimulator.test.ts).
import { Interface } from 'ethers'
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../../genesis/index.ts'
import { PROBE } from '../../../fixtures/contracts/contracts.ts'
import { createPrng } from '../../../fixtures/chain/prng.ts'
import { startNodeHarness } from '../../../fixtures/rpc/nodeHarness.ts'

const CASES = 400
const METHODS = ['eth_call', 'eth_estimateGas', 'eth_createAccessList', 'debug_traceCall'] as const

const h = await startNodeHarness()
t.teardown(() => h.close())
const dev0 = DEV_ACCOUNTS[0]!.address.toLowerCase()
const dev1 = DEV_ACCOUNTS[1]!.address.toLowerCase()
const probe = (await h.send({ from: dev0, data: PROBE.bytecode })).contractAddress as string
const abi = new Interface(PROBE.abi as never)
const head = await h.rpc('eth_getBlockByNumber', ['latest', false])
const headHash = head.result.hash as string

const q = (n: bigint): string => '0x' + n.toString(16)
const U64_MAX = 2n ** 64n - 1n
const U256_MAX = 2n ** 256n - 1n
const ABSENT = Symbol('absent')
type Choice = unknown | typeof ABSENT

const rand = createPrng(0xca11)
/** absent half of the time, else mostly one of the usual values, sometimes an edge one */
const maybe = (usual: readonly unknown[], edge: readonly unknown[] = []): Choice => {
  if (rand.next() < 0.5) return ABSENT
  return edge.length > 0 && rand.next() < 0.3 ? rand.pick(edge) : rand.pick(usual)
}

const gas = { usual: ['0x5208', '0x7a120', '0x1c9c380'], edge: ['0x0', '0x1', q(50_000_001n), q(U64_MAX), q(U64_MAX + 1n), 21000, '0xzz', '0x'] }
const fees = { usual: ['0x0', '0x3b9aca00', '0x174876e800'], edge: ['0x1', q(U64_MAX), q(U256_MAX), q(U256_MAX + 1n), '0x01', -1, 'latest'] }
const addresses = {
  usual: [dev0, dev1, probe, '0x' + '5a'.repeat(20)],
  edge: ['0x' + '00'.repeat(20), '0x' + '00'.repeat(19) + '01', '0x' + '00'.repeat(19) + '0a', '0x' + '00'.repeat(19) + '11', '0x12', 42],
}
const datas = {
  usual: [
    '0x',
    abi.encodeFunctionData('counter'),
    abi.encodeFunctionData('bump'),
    abi.encodeFunctionData('fail', ['fuzz']),
    abi.encodeFunctionData('burn', [3n]),
  ],
  // 64 KiB of data; JUMPDESTs past the EIP-3860 initcode limit; odd length; not hex; not a string
  edge: ['0x00', '0x' + 'ab'.repeat(64 * 1024), '0x' + '5b'.repeat(49_153), '0xabc', '0xgg', 12],
}
/** One random call object (sometimes not an object at all). */
function callObject(): unknown {
  if (rand.next() < 0.03) return rand.pick(['0x1', 7, [], null, true])
  const o: Record<string, unknown> = {}
  const set = (key: string, v: Choice): void => {
    if (v !== ABSENT) o[key] = v
  }
  set('from', maybe(addresses.usual, addresses.edge))
  set('to', maybe(addresses.usual, [...addresses.edge, null]))
  set('gas', maybe(gas.usual, gas.edge))
  // either fee style, or both at once
  const style = rand.int(4)
  if (style === 1 || style === 3) set('gasPrice', maybe(fees.usual, fees.edge))
  if (style === 2 || style === 3) {
    set('maxFeePerGas', maybe(fees.usual, fees.edge))
    set('maxPriorityFeePerGas', maybe(fees.usual, fees.edge))
  }
  set('value', maybe(['0x0', '0x1', '0xde0b6b3a7640000'], ['0x21e19e0c9bab2400001', q(U256_MAX), q(U256_MAX + 1n), '1']))
  set(rand.next() < 0.8 ? 'input' : 'data', maybe(datas.usual, datas.edge))
  set('nonce', maybe(['0x0', '0x1'], [q(U64_MAX - 1n), q(U64_MAX), q(U64_MAX + 1n), 5]))
  set('chainId', maybe(['0x539'], ['0x1', q(U256_MAX), '539']))
  set('type', maybe(['0x0', '0x1', '0x2'], ['0x3', '0x4', '0x7e', '0xff', 2]))
  set('accessList', maybe([[], [{ address: probe, storageKeys: ['0x' + '00'.repeat(32)] }]], [[{ address: probe }], [{ address: 5 }], 'x']))
  if (rand.next() < 0.2) {
    set('authorizationList', maybe([[]], [[{ chainId: '0x539', address: probe, nonce: '0x0', yParity: '0x0', r: '0x1', s: '0x1' }], [5], 'x']))
  }
  if (rand.next() < 0.1) {
    set('maxFeePerBlobGas', maybe(['0x1']))
    set('blobVersionedHashes', maybe([['0x01' + '00'.repeat(31)], []]))
  }
  return o
}

const blockParams = ['latest', 'latest', 'latest', 'latest', 'pending', 'earliest', '0x0', '0x99', headHash, { blockHash: headHash, requireCanonical: true }]

/** The request as JSON, long hex strings shortened to their length. */
function label(params: unknown[]): string {
  return JSON.stringify(params, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 10)}…(${(v.length - 2) / 2} bytes)` : v))
}

t.test(`${CASES} random call objects never answer -32603`, async (t) => {
  const counts = { results: 0, errors: 0 }
  for (let i = 0; i < CASES; i++) {
    const call = callObject()
    const block = rand.pick(blockParams)
    const method = METHODS[i % METHODS.length]!
    const params = method === 'debug_traceCall' ? [call, block, { tracer: 'callTracer' }] : [call, block]
    const answer = await h.rpc(method, params)
    if (answer.error === undefined) counts.results++
    else counts.errors++
    const input = `#${i} ${method} ${label(params)}`
    t.not(answer.error?.code, -32603, input)
  }
  t.ok(counts.results > 0 && counts.errors > 0, `a mix of results and errors (${JSON.stringify(counts)})`)
})
