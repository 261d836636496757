import './polyfill.ts'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { OpenLedgerError } from '../../runtime/index.ts'
import { P2P_ERROR } from './p2pErrors.ts'

/** Where the peer key lives, relative to the datadir. */
export const PEER_KEY_FILE = join('p2p', 'peer.key')

/**
 * The node's libp2p identity: an ed25519 key in `<datadir>/p2p/peer.key` (libp2p's protobuf
 * form), created with mode 0600 on first start and read back on every later one, so the peer id
 * (and every bootnode multiaddr naming it) survives restarts. A file that does not decode is an
 * error, never silently replaced: replacing it would change the peer id operators configured.
 *
 * @example
 * const key = await loadPeerKey('/var/lib/openledger')
 */
export async function loadPeerKey(datadir: string): Promise<{ key: PrivateKey; created: boolean }> {
  const path = join(datadir, PEER_KEY_FILE)
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new OpenLedgerError(P2P_ERROR.PEER_KEY, `cannot read the peer key ${path}`, { path }, { cause: err })
    }
  }
  if (bytes !== undefined) {
    try {
      return { key: privateKeyFromProtobuf(bytes), created: false }
    } catch (err) {
      throw new OpenLedgerError(
        P2P_ERROR.PEER_KEY,
        `the peer key ${path} is corrupt (not a libp2p private key); move it away to create a new identity`,
        { path },
        { cause: err },
      )
    }
  }
  const key = await generateKeyPair('Ed25519')
  try {
    await mkdir(join(datadir, 'p2p'), { recursive: true, mode: 0o700 })
    // 'wx': never overwrite a key another process wrote meanwhile
    await writeFile(path, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' })
  } catch (err) {
    throw new OpenLedgerError(P2P_ERROR.PEER_KEY, `cannot write the peer key ${path}`, { path }, { cause: err })
  }
  return { key, created: true }
}
