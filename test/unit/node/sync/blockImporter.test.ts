// The import pipeline on a real chain: seal checks, which failures blame the sender, and a local
// failure (a closed chain) that does not.
import t from 'tap'
import type { OpenLedgerError } from '../../../../runtime/index.ts'
import { SYNC_ERROR, createBlockImporter, createSync, encodeSealedBlock, isPeerFault, sealBlockHash } from '../../../../node/sync/index.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'
import { testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { FakeNetwork, buildBlocks, sealer, sequencerChain, syncSpec, validatorChain } from '../../../integration/sync/sealedChain.ts'

async function failure(fn: () => unknown): Promise<OpenLedgerError> {
  try {
    await fn()
  } catch (err) {
    return err as OpenLedgerError
  }
  throw new Error('expected a failure')
}

const dir = await tempDir(t, 'openledger-importer-')
const seq = await sequencerChain(dir)
t.teardown(() => seq.close())
const [b1, b2] = await buildBlocks(seq, 2)
const raw1 = b1!.serialize()

t.test('seals: required, checked against the sequencer, optional for file import', async (t) => {
  const chain = await validatorChain(dir, 'seals')
  t.teardown(() => chain.close())
  const sealed = createBlockImporter({ chain })
  const unsealed = createBlockImporter({ chain, requireSeal: false })
  const missing = await failure(() => sealed.decodeBlock(raw1))
  t.equal(missing.code, SYNC_ERROR.INVALID_SEAL)
  t.match(missing.message, 'block 1 has no seal')
  const other = sealBlockHash(syncSpec.chainId, b1!.hash(), testAccounts(1, 'not-the-sequencer')[0]!.key)
  const wrong = await failure(() => sealed.decodeBlock(raw1, other))
  t.match(wrong.meta, { number: '1' })
  t.match(wrong.message, 'not sealed by the sequencer')
  t.equal((await failure(() => unsealed.decodeBlock(raw1, other))).code, SYNC_ERROR.INVALID_SEAL, 'a given seal is checked even when not required')
  t.equal((await failure(() => sealed.decodeBlock(new Uint8Array([0xc0])))).code, SYNC_ERROR.MALFORMED_BLOCK)
  const checked = sealed.decodeSealed(encodeSealedBlock({ block: raw1, seal: sealer(b1!.hash()) }))
  t.equal(checked.number, 1n)
  await sealed.importBlock(checked)
  t.same(await chain.getSeal(b1!.hash()), sealer(b1!.hash()), 'seal stored')
  await unsealed.importBlock(unsealed.decodeBlock(b2!.serialize()))
  t.equal(chain.head().header.number, 2n)
})

t.test('failures: the block (peer fault) or this node (not)', async (t) => {
  const chain = await validatorChain(dir, 'faults')
  const importer = createBlockImporter({ chain, requireSeal: false })
  const gap = await failure(() => importer.importBlock(importer.decodeBlock(b2!.serialize())))
  t.equal(gap.code, SYNC_ERROR.INVALID_BLOCK)
  t.match(gap.meta, { number: '2', reason: 'CHAIN_ERROR_NOT_HEAD_CHILD' })
  t.ok(isPeerFault(gap), 'not on the head: the sender is at fault')
  const sync = createSync({ chain, network: new FakeNetwork() })
  await chain.close()
  const closed = await failure(() => importer.importBlock(importer.decodeBlock(raw1)))
  t.equal(closed.code, SYNC_ERROR.IMPORT_FAILED)
  t.match(closed.meta, { number: '1', reason: 'CHAIN_ERROR_CLOSED' })
  t.notOk(isPeerFault(closed), 'a closed chain is nobody else’s fault')
  t.equal(
    await sync.onGossipBlock(encodeSealedBlock({ block: raw1, seal: sealer(b1!.hash()) }), 'p'),
    'ignore',
    'gossip: a local failure is ignore, not reject',
  )
  t.notOk(isPeerFault(new Error('x')))
})
