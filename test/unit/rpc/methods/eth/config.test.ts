// eth_config (EIP-7910) for a chain that runs Prague from genesis and schedules no later fork.
import { crc32 } from 'node:zlib'
import t from 'tap'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

t.test('current is Prague since genesis; next and last are null', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const r = (await h.rpc('eth_config')).result as { current: Record<string, unknown>; next: unknown; last: unknown }
  t.same(Object.keys(r), ['current', 'next', 'last'])
  t.equal(r.next, null)
  t.equal(r.last, null)
  const c = r.current
  t.same(Object.keys(c), ['activationTime', 'blobSchedule', 'chainId', 'forkId', 'precompiles', 'systemContracts'], 'every field the EIP requires')
  t.equal(c.activationTime, 0, 'active at genesis: 0, a JSON number')
  t.same(c.blobSchedule, { baseFeeUpdateFraction: 5007716, max: 0, target: 0 }, 'no blobs on this chain; the fee formula is Prague')
  t.equal(c.chainId, '0x539')
  const genesis = h.backend.blocks[0]!.hash()
  t.equal(c.forkId, '0x' + crc32(genesis).toString(16).padStart(8, '0'), 'FORK_HASH of a chain whose every fork is at genesis')
  t.match(c.forkId, /^0x[0-9a-f]{8}$/)
  const precompiles = c.precompiles as Record<string, string>
  t.same(Object.keys(precompiles), Object.keys(precompiles).sort(), 'sorted by name')
  t.same(Object.keys(precompiles).length, 17, 'Prague: 0x01 to 0x11')
  t.equal(precompiles.ECREC, '0x0000000000000000000000000000000000000001')
  t.equal(precompiles.KZG_POINT_EVALUATION, '0x000000000000000000000000000000000000000a')
  t.equal(precompiles.BLS12_MAP_FP2_TO_G2, '0x0000000000000000000000000000000000000011')
  t.notOk('P256VERIFY' in precompiles, 'an Osaka precompile')
  t.same(c.systemContracts, {
    BEACON_ROOTS_ADDRESS: '0x000f3df6d732807ef1319fb7b8bb8522d0beac02',
    HISTORY_STORAGE_ADDRESS: '0x0000f90827f1c53a10cb7a02335b175320002935',
  })
})
