import { RLP } from '@ethereumjs/rlp'
import t from 'tap'
import { P2P_ERROR } from '../../../../node/p2p/p2pErrors.ts'
import { decodeRangeRequest, encodeRangeRequest } from '../../../../node/p2p/rangeRequest.ts'

t.test('range requests round-trip as RLP([start, count])', async (t) => {
  for (const request of [
    { start: 0n, count: 1 },
    { start: 1n, count: 64 },
    { start: 1_000_000n, count: 0xffffffff },
  ]) {
    t.same(decodeRangeRequest(encodeRangeRequest(request)), request, `${request.start}+${request.count}`)
  }
  t.same(encodeRangeRequest({ start: 1n, count: 2 }), RLP.encode([Uint8Array.of(1), Uint8Array.of(2)]))
})

t.test('malformed range requests are P2P_ERROR_MALFORMED_MESSAGE', async (t) => {
  const cases: [string, Uint8Array][] = [
    ['garbage', Uint8Array.of(0xff, 0xff)],
    ['one field', RLP.encode([Uint8Array.of(1)])],
    ['count 0', RLP.encode([Uint8Array.of(1), new Uint8Array()])],
    ['count above 2^32-1', RLP.encode([Uint8Array.of(1), Uint8Array.of(1, 0, 0, 0, 0)])],
    ['start with a leading zero', RLP.encode([Uint8Array.of(0, 1), Uint8Array.of(1)])],
  ]
  for (const [what, data] of cases) t.throws(() => decodeRangeRequest(data), { code: P2P_ERROR.MALFORMED_MESSAGE }, what)
})
