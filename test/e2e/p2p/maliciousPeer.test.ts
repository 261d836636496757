// A malicious peer (test/fixtures/p2p/maliciousPeer.ts: speaks the protocol, not the rules)
// attacks a validator child process: garbage bytes, an oversized message, a block sealed by the
// wrong key and a correctly sealed block whose state root is wrong. All are rejected, nothing is
// persisted, the peer's score falls and it is disconnected; the honest nodes keep following.
import { randomBytes } from 'node:crypto'
import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, bytesToBigInt, bytesToHex, hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import t from 'tap'
import { encodeSealedBlock, sealBlockHash } from '../../../node/sync/index.ts'
import { createMaliciousPeer } from '../../fixtures/p2p/maliciousPeer.ts'
import { poll } from '../../fixtures/poll.ts'
import { POLL_MS, logLines, rpc } from '../cli/cliProcess.ts'
import { SEQUENCER, SPEC, SYNC_DEADLINE_MS, head, listenAddrs, receipt, sameHead, sendTransfer, startSequencer, startValidator } from './networkHarness.ts'

/** keccak256(rlp("")): the root of an empty trie. */
const EMPTY_TRIE = keccak_256(RLP.encode(new Uint8Array(0)))

/**
 * A child of the node's head that passes the header rules (number, parent, timestamp, base fee,
 * gas limit, empty tx and receipt tries) but claims `stateRoot`: only re-execution can tell.
 */
async function forgedChild(url: string, stateRoot: Uint8Array): Promise<{ block: Uint8Array; hash: Uint8Array }> {
  const raw = hexToBytes((await rpc(url, 'debug_getRawBlock', ['latest'])) as `0x${string}`)
  const [parent] = RLP.decode(raw) as unknown as [Uint8Array[]]
  const header = [...parent]
  const number = bytesToBigInt(parent[8]!)
  const timestamp = bytesToBigInt(parent[11]!)
  header[0] = keccak_256(RLP.encode(parent))
  header[3] = stateRoot
  header[4] = EMPTY_TRIE
  header[5] = EMPTY_TRIE
  header[6] = new Uint8Array(256)
  header[8] = bigIntToUnpaddedBytes(number + 1n)
  header[10] = new Uint8Array(0)
  header[11] = bigIntToUnpaddedBytes(timestamp + 1n)
  header[15] = bigIntToUnpaddedBytes(BigInt((await rpc(url, 'eth_baseFee')) as string))
  return { block: RLP.encode([header, [], [], []]), hash: keccak_256(RLP.encode(header)) }
}

/** The validator's count of rejected gossip messages (its /metrics). */
async function rejected(url: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text()
  let total = 0
  for (const line of text.split('\n'))
    if (line.startsWith('openledger_p2p_gossip_received_total{') && line.includes('verdict="reject"')) total += Number(line.split(' ').at(-1))
  return total
}

t.test('a malicious peer is rejected, scored down and disconnected; honest nodes keep following', async (t) => {
  const seq = await startSequencer(t)
  const validator = await startValidator(t, await listenAddrs(seq.url))
  const start = await sameHead([seq.url, validator.url])
  const genesis = (await rpc(validator.url, 'eth_getBlockByNumber', ['0x0', false])) as { hash: string }
  const evil = await createMaliciousPeer({
    chainId: SPEC.chainId,
    genesisHash: hexToBytes(genesis.hash as `0x${string}`),
    bootnode: (await listenAddrs(validator.url))[0]!,
  })
  t.teardown(() => evil.stop())

  // first attack, once the validator is subscribed (each try is new bytes: gossip drops repeats): garbage
  await poll(async () => (await evil.publishBlock(randomBytes(300))) > 0 || undefined, {
    timeoutMs: SYNC_DEADLINE_MS,
    intervalMs: POLL_MS,
    what: 'the validator subscribed',
  })
  // a correctly sealed block whose state root is wrong: only re-execution tells
  const wrongRoot = await forgedChild(validator.url, new Uint8Array(32).fill(0x22))
  const sequencerKey = hexToBytes(SEQUENCER.privateKey as `0x${string}`)
  await evil.publishBlock(encodeSealedBlock({ block: wrongRoot.block, seal: sealBlockHash(SPEC.chainId, wrongRoot.hash, sequencerKey) }))
  // a block sealed by another key, and a message over the 4 MiB block limit
  const wrongKey = await forgedChild(validator.url, new Uint8Array(32).fill(0x11))
  await evil.publishBlock(encodeSealedBlock({ block: wrongKey.block, seal: sealBlockHash(SPEC.chainId, wrongKey.hash, randomBytes(32)) }))
  await evil.publishBlock(randomBytes(5 * 1024 * 1024))

  await poll(async () => (await rejected(validator.url)) >= 3 || undefined, {
    timeoutMs: SYNC_DEADLINE_MS,
    intervalMs: POLL_MS,
    what: 'three rejected messages',
  })
  await poll(() => !evil.isConnected() || undefined, {
    timeoutMs: SYNC_DEADLINE_MS,
    intervalMs: POLL_MS,
    what: 'the validator hanging up on the malicious peer',
  })
  t.pass('the malicious peer is disconnected')
  const peers = (await rpc(validator.url, 'admin_peers')) as { id: string }[]
  t.notOk(
    peers.some((p) => p.id === evil.peerId),
    'and no longer among the validator’s peers',
  )
  t.equal((await head(validator.url)).hash, start.hash, 'the validator’s head did not move')
  const invalid = logLines(validator.run).filter((l) => l.msg === 'gossip block invalid')
  t.ok(
    invalid.some((l) => JSON.stringify(l).includes('BLOCK_ERROR_INVALID_EXECUTION') && JSON.stringify(l).includes('"field":"stateRoot"')),
    'the sealed block failed re-execution on its state root',
  )
  for (const forged of [wrongKey, wrongRoot]) {
    t.equal(await rpc(validator.url, 'eth_getBlockByHash', [bytesToHex(forged.hash), false]), null, 'the forged block is not stored')
    t.equal(await rpc(seq.url, 'eth_getBlockByHash', [bytesToHex(forged.hash), false]), null, 'nor relayed to the sequencer')
  }

  const hash = await sendTransfer(seq.url, 5)
  const landed = await receipt(validator.url, hash)
  t.equal(landed.status, '0x1', 'the validator still follows the sequencer')
  await sameHead([seq.url, validator.url], BigInt(landed.blockNumber))
})
