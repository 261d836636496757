// The per-head memo of plain call outcomes: one execution per identical request and head.
import t from 'tap'
import { createBlock } from '@ethereumjs/block'
import { HeadResults, headCallKey, isPlainHeadCall } from '../../../../runtime/call/headResults.ts'
import type { CallResult } from '../../../../runtime/index.ts'

const ok = (n: number): CallResult => ({ returnData: new Uint8Array([n]), gasUsed: 21_000n })
const headA = new Uint8Array(32).fill(1)
const headB = new Uint8Array(32).fill(2)

t.test('identical requests at one head execute once, concurrent ones included', async (t) => {
  const memo = new HeadResults(16)
  let runs = 0
  const run = async (): Promise<CallResult> => ok(++runs)
  const answers = await Promise.all([memo.get(headA, 'k', run), memo.get(headA, 'k', run), memo.get(headA, 'k', run)])
  t.equal(runs, 1, 'one execution for three concurrent requests')
  t.same(
    answers.map((a) => a.returnData[0]),
    [1, 1, 1],
  )
  t.equal((await memo.get(headA, 'k', run)).returnData[0], 1, 'a later request is answered from the memo')
  t.equal((await memo.get(headA, 'other', run)).returnData[0], 2, 'another request executes')
  t.equal((await memo.get(headB, 'k', run)).returnData[0], 3, 'a new head forgets everything')
  t.equal((await memo.get(headA, 'k', run)).returnData[0], 4, 'and going back is a new head too')
})

t.test('failed executions are not remembered; the bound holds', async (t) => {
  const memo = new HeadResults(2)
  let runs = 0
  await t.rejects(
    memo.get(headA, 'k', async () => {
      runs++
      throw new Error('boom')
    }),
  )
  t.equal((await memo.get(headA, 'k', async () => ok(++runs))).returnData[0], 2, 'the failure was retried')
  await memo.get(headA, 'a', async () => ok(++runs))
  await memo.get(headA, 'b', async () => ok(++runs))
  t.equal((await memo.get(headA, 'k', async () => ok(++runs))).returnData[0], 5, 'past the bound the memo starts over')
})

t.test('keys: every outcome-relevant field counts; nonce and chainId do not', async (t) => {
  const to = new Uint8Array(20).fill(7)
  const base = headCallKey({ to, data: new Uint8Array([1, 2]) }, 50_000_000n)
  t.not(base, undefined)
  t.not(headCallKey({ to, data: new Uint8Array([1, 3]) }, 50_000_000n), base, 'data')
  t.not(headCallKey({ to, data: new Uint8Array([1, 2]), gas: 30_000n }, 50_000_000n), base, 'gas')
  t.not(headCallKey({ to, data: new Uint8Array([1, 2]) }, 40_000_000n), base, 'gas cap')
  t.not(headCallKey({ to, data: new Uint8Array([1, 2]), value: 1n }, 50_000_000n), base, 'value')
  t.not(headCallKey({ to, data: new Uint8Array([1, 2]), from: to }, 50_000_000n), base, 'from')
  t.not(headCallKey({ to, data: new Uint8Array([1, 2]), maxFeePerGas: 1n }, 50_000_000n), base, 'fees')
  t.not(headCallKey({ to, data: new Uint8Array([1, 2]), accessList: [] }, 50_000_000n), base, 'an access list')
  t.equal(headCallKey({ to, data: new Uint8Array([1, 2]), nonce: 9n, chainId: 1337n }, 50_000_000n), base, 'nonce and chainId')
  t.equal(headCallKey({ to, data: new Uint8Array(4097) }, 50_000_000n), undefined, 'large calldata is not remembered')
})

t.test('a plain head call: the head by number or block, no overrides', async (t) => {
  const head = createBlock({ header: { number: 7n } })
  const other = createBlock({ header: { number: 6n } })
  t.ok(isPlainHeadCall({ at: 7n, gasCap: 1n }, head), 'the head by number')
  t.ok(isPlainHeadCall({ at: head, gasCap: 1n }, head), 'the head block itself')
  t.notOk(isPlainHeadCall({ at: 6n, gasCap: 1n }, head), 'an older block by number')
  t.notOk(isPlainHeadCall({ at: other, gasCap: 1n }, head), 'another block')
  t.notOk(isPlainHeadCall({ at: 7n, gasCap: 1n, stateOverrides: new Map() }, head), 'state overrides')
  t.notOk(isPlainHeadCall({ at: 7n, gasCap: 1n, blockOverrides: {} }, head), 'block overrides')
})
