// runtime/call on a real chain (LevelDB in a temp dir): calls run on the block producer's VM
// rules, share per-head state copy-on-write, follow the head, and never throw for a message a
// request can describe.
import { join } from 'node:path'
import { createBlock } from '@ethereumjs/block'
import { bigIntToBytes, bytesToBigInt, createAddressFromString, eoaCode7702SignAuthorization, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import t from 'tap'
import { createChain } from '../../../../node/chain/index.ts'
import { CALL_ERROR, createCallSimulator } from '../../../../runtime/index.ts'
import type { CallAuthorization, CallRequest } from '../../../../runtime/index.ts'
import { BASE_FEE_RECIPIENT, createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'

// runtime: slot0 += 1; return slot0
const COUNTER_RUNTIME = '0x600054600101806000556000526020 6000f3'.replace(' ', '')
const COUNTER = '0x00000000000000000000000000000000000c0117'

const accounts = testAccounts(2, 'call-simulator')
const spec = createTestSpec({ accounts, extraAlloc: { [COUNTER]: { balance: 0n, code: COUNTER_RUNTIME as `0x${string}` } } })
const dir = await tempDir(t, 'openledger-calls-')
const chain = await createChain({ dataDir: join(dir, 'node'), spec })
t.teardown(() => chain.close())
const sim = createCallSimulator({ spec, common: chain.common, chain })
const sender = accounts[0]!
const counter = createAddressFromString(COUNTER)
const head = () => chain.head().header.number
const gasCap = 50_000_000n
const word = (r: { returnData: Uint8Array }) => bytesToBigInt(r.returnData)

t.test('a call at the head runs on its own overlay: 64 concurrent calls each see slot0 = 0', async (t) => {
  // 64 different senders, so nothing here could share an execution
  const from = (i: number): Uint8Array => setLengthLeft(bigIntToBytes(BigInt(0x1000 + i)), 20)
  const results = await Promise.all(Array.from({ length: 64 }, (_, i) => sim.call({ from: from(i), to: counter.bytes }, { at: head(), gasCap })))
  for (const [i, r] of results.entries()) {
    t.equal(r.error, undefined, `call ${i} succeeded`)
    t.equal(word(r), 1n, `call ${i} saw none of the others' writes`)
  }
  const state = await chain.stateAt(head())
  t.equal((await state.getStorage(counter, new Uint8Array(32))).length, 0, 'the chain state is untouched')
})

t.test('state overrides at the head stay inside their call', async (t) => {
  const at = head()
  const slot = setLengthLeft(new Uint8Array(0), 32)
  const overridden = sim.call(
    { to: counter.bytes },
    { at, gasCap, stateOverrides: new Map([[COUNTER, { stateDiff: [[slot, setLengthLeft(bigIntToBytes(41n), 32)]] }]]) },
  )
  const plain = sim.call({ to: counter.bytes }, { at, gasCap })
  t.equal(word(await overridden), 42n, 'the override is seen by its call')
  t.equal(word(await plain), 1n, 'and not by a concurrent one')
  t.equal(word(await sim.call({ to: counter.bytes }, { at, gasCap })), 1n, 'nor by a later one')
})

t.test('calls follow the head; a past block keeps its own state', async (t) => {
  const before = head()
  const tx = signed1559(chain.common, sender, { nonce: 0n, to: counter, gasLimit: 100_000n })
  const { receipts } = await chain.buildBlock([tx], { timestamp: chain.head().header.timestamp + 1n })
  t.equal(receipts[0]?.status, 1, 'the counter tx succeeded')
  t.equal(word(await sim.call({ to: counter.bytes }, { at: head(), gasCap })), 2n, 'the new head: slot0 = 1 before the call')
  t.equal(word(await sim.call({ to: counter.bytes }, { at: before, gasCap })), 1n, 'the previous block: slot0 = 0')
  t.equal(word(await sim.call({ to: counter.bytes }, { at: chain.head(), gasCap })), 2n, 'the head named by its block')
})

t.test('calls run on the runtime VM: a same-tx SELFDESTRUCT credits the base-fee recipient, as in blocks', async (t) => {
  const recipient = createAddressFromString(BASE_FEE_RECIPIENT)
  const before = (await (await chain.stateAt(head())).getAccount(recipient))?.balance ?? 0n
  // init code: MSTORE child init 0x30ff (ADDRESS SELFDESTRUCT) at mem[30..32]; CREATE(value 1000);
  // POP; BALANCE(recipient); MSTORE(0); RETURN(0, 32)
  const data = hexToBytes(`0x61${'30ff'}600052600260 1e6103e8f05073${BASE_FEE_RECIPIENT.slice(2)}3160005260206000f3`.replace(' ', '') as `0x${string}`)
  const r = await sim.call({ from: sender.address.bytes, data, value: 5000n }, { at: head(), gasCap })
  t.equal(r.error, undefined, 'the creation succeeded')
  t.equal(word(r), before + 1000n, "the child's 1000 went to the base-fee recipient, not burned")
})

t.test('a nonce at the uint64 limit is ignored as geth ignores a call nonce', async (t) => {
  const req: CallRequest = { from: sender.address.bytes, to: counter.bytes }
  const plain = await sim.call(req, { at: head(), gasCap })
  const maxNonce = await sim.call({ ...req, nonce: 2n ** 64n - 1n }, { at: head(), gasCap })
  t.same(maxNonce, plain, 'request nonce 2^64-1')
  const overridden = await sim.call(req, { at: head(), gasCap, stateOverrides: new Map([[sender.hex.toLowerCase(), { nonce: 2n ** 64n - 1n }]]) })
  t.equal(overridden.error, undefined, 'a state nonce of 2^64-1 (override) still runs')
  t.equal(word(overridden), word(plain))
})

t.test('authorizationList: the message applies its EIP-7702 authorizations', async (t) => {
  const authority = accounts[1]!
  const [chainId, address, nonce, yParity, r, s] = eoaCode7702SignAuthorization([bigIntToBytes(spec.chainId), counter.bytes, new Uint8Array(0)], authority.key)
  const auth: CallAuthorization = {
    chainId: bytesToBigInt(chainId),
    address,
    nonce: bytesToBigInt(nonce),
    yParity: bytesToBigInt(yParity),
    r: bytesToBigInt(r),
    s: bytesToBigInt(s),
  }
  const req: CallRequest = { from: sender.address.bytes, to: authority.address.bytes }
  const without = await sim.call(req, { at: head(), gasCap })
  t.equal(without.returnData.length, 0, 'without the list the authority is a plain account')
  const delegated = await sim.call({ ...req, authorizationList: [auth] }, { at: head(), gasCap })
  t.equal(delegated.error, undefined)
  t.equal(word(delegated), 1n, "with it the counter's code runs in the authority's storage")
  const gasWithout = without.gasUsed
  t.ok(delegated.gasUsed > gasWithout + 12_500n - 1n, 'the authorization is paid for (PER_AUTH_BASE_COST)')
  const empty = await sim.call({ ...req, authorizationList: [] }, { at: head(), gasCap })
  t.match(empty.error, /^EIP-7702 transaction with empty auth list \(sender 0x/, "an empty list is refused in geth's words")
  const create = await sim.call({ from: sender.address.bytes, data: new Uint8Array([0]), authorizationList: [auth] }, { at: head(), gasCap })
  t.match(create.error, /^EIP-7702 transaction cannot be used to create contract/, 'so is a creation')
  const list = await sim.createAccessList({ ...req, authorizationList: [auth] }, { at: head(), gasCap })
  t.equal(list.result.error, undefined, 'createAccessList honours the list')
})

t.test("init code past the EIP-3860 limit is refused before execution, in geth's words", async (t) => {
  const r = await sim.call({ from: sender.address.bytes, data: new Uint8Array(49_153) }, { at: head(), gasCap })
  t.equal(r.error, 'max initcode size exceeded: code size 49153 limit 49152')
  const atLimit = await sim.call({ from: sender.address.bytes, data: new Uint8Array(49_152) }, { at: head(), gasCap })
  t.equal(atLimit.error, undefined, 'init code of exactly the limit runs (zero bytes: STOP)')
})

t.test('beyond the queue limit a call fails at once with a coded error', async (t) => {
  const small = createCallSimulator({ spec, common: chain.common, chain, maxQueuedCalls: 2 })
  const settled = await Promise.allSettled(Array.from({ length: 8 }, () => small.call({ to: counter.bytes }, { at: head(), gasCap })))
  const refused = settled.filter((s) => s.status === 'rejected')
  t.ok(refused.length > 0, 'some calls were refused')
  for (const s of refused) t.equal((s as PromiseRejectedResult).reason.code, CALL_ERROR.TOO_MANY_CALLS)
  t.ok(
    settled.some((s) => s.status === 'fulfilled'),
    'the others ran',
  )
})

t.test('an unknown block or a missing state root is a coded error, not a crash', async (t) => {
  await t.rejects(sim.call({ to: counter.bytes }, { at: 1_000n, gasCap }), { code: CALL_ERROR.HEADER_NOT_FOUND })
  const orphan = createBlock({ header: { ...chain.head().header.toJSON(), stateRoot: new Uint8Array(32).fill(7) } }, { common: chain.common })
  await t.rejects(sim.call({ to: counter.bytes }, { at: orphan, gasCap }), { code: CALL_ERROR.STATE_UNAVAILABLE })
})

t.test('traceTransaction replays the block through the runtime and traces the tx', async (t) => {
  const block = chain.head()
  const frame = await sim.traceTransaction(block, 0)
  t.equal(frame?.type, 'CALL')
  t.equal(frame?.to, COUNTER)
  t.equal(frame?.output, '0x' + '0'.repeat(63) + '1', 'the traced tx saw the pre-tx state of its block')
  t.equal(await sim.traceTransaction(block, 5), undefined, 'no tx at that index')
})

t.test("messages no tx can carry answer geth's words, not an exception", async (t) => {
  const at = head()
  const from = sender.address.bytes
  const r1 = await sim.call({ from, data: new Uint8Array(49_153) }, { at, gasCap })
  t.equal(r1.error, 'max initcode size exceeded: code size 49153 limit 49152')
  const r2 = await sim.call({ from, to: counter.bytes, gas: 21_000n, maxFeePerGas: 2n ** 256n - 1n }, { at, gasCap })
  t.match(r2.error, /^insufficient funds for gas \* price \+ value: address 0x[0-9a-fA-F]{40} required balance exceeds 256 bits$/)
  const r3 = await sim.call({ from, to: counter.bytes, maxPriorityFeePerGas: 2n ** 255n }, { at, gasCap })
  t.match(r3.error, /required balance exceeds 256 bits/, 'a tip alone is the fee cap')
})
