import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import t from 'tap'
import { P2P_ERROR } from '../../../../node/p2p/p2pErrors.ts'
import { PEER_KEY_FILE, loadPeerKey } from '../../../../node/p2p/peerKey.ts'

t.test('the peer key is created once (0600) and read back with the same peer id', async (t) => {
  const datadir = await mkdtemp(join(tmpdir(), 'openledger-peerkey-'))
  t.teardown(() => rm(datadir, { recursive: true, force: true }))
  const first = await loadPeerKey(datadir)
  t.ok(first.created)
  t.equal(first.key.type, 'Ed25519')
  t.equal((await stat(join(datadir, PEER_KEY_FILE))).mode & 0o777, 0o600)
  const second = await loadPeerKey(datadir)
  t.notOk(second.created)
  t.equal(peerIdFromPrivateKey(second.key).toString(), peerIdFromPrivateKey(first.key).toString())
})

t.test('a corrupt key file is a P2P_ERROR_PEER_KEY error and is left in place', async (t) => {
  const datadir = await mkdtemp(join(tmpdir(), 'openledger-peerkey-'))
  t.teardown(() => rm(datadir, { recursive: true, force: true }))
  await loadPeerKey(datadir)
  const path = join(datadir, PEER_KEY_FILE)
  await writeFile(path, Uint8Array.of(1, 2, 3))
  await t.rejects(loadPeerKey(datadir), { code: P2P_ERROR.PEER_KEY })
  t.same(await readFile(path), Buffer.from([1, 2, 3]), 'not replaced')
})

t.test('an unreadable key path is a P2P_ERROR_PEER_KEY error', async (t) => {
  const datadir = await mkdtemp(join(tmpdir(), 'openledger-peerkey-'))
  t.teardown(() => rm(datadir, { recursive: true, force: true }))
  // <datadir>/p2p is a file: neither readable as a folder nor creatable
  await writeFile(join(datadir, 'p2p'), 'x')
  await t.rejects(loadPeerKey(datadir), { code: P2P_ERROR.PEER_KEY })
})
