import { RLP } from '@ethereumjs/rlp'
import t from 'tap'
import { P2P_ERROR } from '../../../../node/p2p/p2pErrors.ts'
import { decodeStatus, encodeStatus } from '../../../../node/p2p/statusMessage.ts'

const hash = (b: number) => new Uint8Array(32).fill(b)

t.test('status round-trips as RLP([genesisHash, headNumber, headHash])', async (t) => {
  for (const headNumber of [0n, 1n, 255n, 256n, 2n ** 64n - 1n]) {
    const status = { genesisHash: hash(1), headNumber, headHash: hash(2) }
    const encoded = encodeStatus(status)
    t.same(RLP.decode(encoded), [hash(1), headNumber === 0n ? new Uint8Array() : RLP.decode(RLP.encode(headNumber)), hash(2)], `layout at ${headNumber}`)
    t.same(decodeStatus(encoded), status, `round trip at ${headNumber}`)
  }
})

t.test('malformed status frames are P2P_ERROR_MALFORMED_MESSAGE', async (t) => {
  const cases: [string, Uint8Array][] = [
    ['not RLP', Uint8Array.of(0xf8)],
    ['a byte string, not a list', RLP.encode(hash(1))],
    ['two fields', RLP.encode([hash(1), Uint8Array.of(1)])],
    ['short genesis hash', RLP.encode([new Uint8Array(31), Uint8Array.of(1), hash(2)])],
    ['short head hash', RLP.encode([hash(1), Uint8Array.of(1), new Uint8Array(33)])],
    ['leading zero in the number', RLP.encode([hash(1), Uint8Array.of(0, 1), hash(2)])],
    ['number over 64 bits', RLP.encode([hash(1), new Uint8Array(9).fill(1), hash(2)])],
    ['nested list as a field', RLP.encode([hash(1), [Uint8Array.of(1)], hash(2)])],
  ]
  for (const [what, data] of cases) t.throws(() => decodeStatus(data), { code: P2P_ERROR.MALFORMED_MESSAGE }, what)
})
