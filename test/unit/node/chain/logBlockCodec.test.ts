import t from 'tap'
import { createBlockHeader } from '@ethereumjs/block'
import { decodeLogBlock, encodeLogBlock, logBlockOfHeader } from '../../../../node/chain/logBlockCodec.ts'
import { chainParams, createChainCommon } from '../../../../runtime/index.ts'
import { createTestSpec } from '../../../fixtures/chain/testSpec.ts'

const hash = Uint8Array.from({ length: 32 }, (_, i) => i + 1)
const bloom = Uint8Array.from({ length: 256 }, (_, i) => (i * 7) & 0xff)

t.test('log block entries round-trip over the whole timestamp range', async (t) => {
  // around the 6-byte fast path's edge, 64-bit values, and beyond 64 bits (no header rule bounds it)
  const timestamps = [0n, 1n, 255n, 1_765_000_000n, 2n ** 48n - 1n, 2n ** 48n, 2n ** 53n + 1n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 200n + 3n]
  for (const timestamp of timestamps) {
    const decoded = decodeLogBlock(encodeLogBlock({ hash, timestamp, logsBloom: bloom }))
    t.same(decoded.hash, hash, `timestamp ${timestamp}: hash`)
    t.equal(decoded.timestamp, timestamp, `timestamp ${timestamp}: timestamp`)
    t.same(decoded.logsBloom, bloom, `timestamp ${timestamp}: bloom`)
  }
  t.equal(encodeLogBlock({ hash, timestamp: 1_765_000_000n, logsBloom: bloom }).length, 32 + 1 + 4 + 256, '293 bytes a block with logs')
})

t.test('a damaged entry is a TypeError', async (t) => {
  const good = encodeLogBlock({ hash, timestamp: 1_765_000_000n, logsBloom: bloom })
  t.throws(() => decodeLogBlock(good.subarray(0, 32)), TypeError, 'no length byte')
  t.throws(() => decodeLogBlock(good.subarray(0, 40)), TypeError, 'a cut bloom')
  t.throws(() => decodeLogBlock(new Uint8Array([...good, 0])), TypeError, 'a byte too many')
})

t.test("a header's LogBlock: its timestamp and bloom, none when the bloom is empty", async (t) => {
  const spec = createTestSpec()
  const opts = { common: createChainCommon(spec), params: chainParams(spec) }
  const withLogs = createBlockHeader({ number: 7n, timestamp: 1_765_000_123n, logsBloom: bloom, gasUsed: 50_000n }, opts)
  t.same(logBlockOfHeader(hash, withLogs.serialize()), { hash, timestamp: 1_765_000_123n, logsBloom: bloom })
  const noLogs = createBlockHeader({ number: 8n, timestamp: 1_765_000_124n, gasUsed: 21_000n }, opts)
  t.equal(logBlockOfHeader(hash, noLogs.serialize()), undefined, 'transfers only: no logs')
  t.throws(() => logBlockOfHeader(hash, Uint8Array.of(0xc1, 0x80)), TypeError, 'too few fields')
})
