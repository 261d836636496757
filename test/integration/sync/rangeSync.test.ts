// Range sync and gossip between two LevelDB chains in one process: a sequencer chain (sealing)
// and fresh validators, over a fake SyncNetwork whose peers serve through Sync.getBlockRange.
import t from 'tap'
import type { Test } from 'tap'
import type { Block } from '@ethereumjs/block'
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import type { Chain } from '../../../node/chain/index.ts'
import { SYNC_ERROR, createSync, decodeSealedBlock, encodeSealedBlock, sealBlockHash } from '../../../node/sync/index.ts'
import { OpenLedgerError } from '../../../runtime/index.ts'
import type { Sync } from '../../../node/sync/index.ts'
import { poll } from '../../fixtures/poll.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { testAccounts } from '../../fixtures/chain/testSpec.ts'
import { FakeNetwork, buildBlocks, sealer, sequencerChain, syncSpec, validatorChain } from './sealedChain.ts'

const RANGE_BYTES = 16 * 1024 * 1024
const BLOCKS = 150
const intruder = testAccounts(1, 'sync-intruder')[0]!

const dir = await tempDir(t, 'openledger-sync-')
const seq = await sequencerChain(dir)
t.teardown(() => seq.close())
const built = await buildBlocks(seq, BLOCKS)
// the sequencer's side: serves its chain (no network of its own)
const server = createSync({ chain: seq, network: new FakeNetwork() })
const honest = {
  head: () => ({ number: seq.head().header.number, hash: seq.head().hash() }),
  blocksByRange: (s: bigint, c: number) => server.getBlockRange(s, c, RANGE_BYTES),
}

/** A validator chain with its sync over `network`; both stopped / closed at teardown. */
async function validator(tt: Test, name: string, network: FakeNetwork, opts: { start?: boolean } = {}): Promise<{ chain: Chain; sync: Sync }> {
  const chain = await validatorChain(dir, name)
  const sync = createSync({ chain, network, pollIntervalMs: 60_000, requestTimeoutMs: 2_000 })
  tt.teardown(async () => {
    await sync.stop()
    await chain.close()
  })
  if (opts.start !== false) sync.start()
  return { chain, sync }
}

const reachHead = (chain: Chain, number: bigint, what: string): Promise<true> =>
  poll(() => chain.head().header.number >= number || undefined, { timeoutMs: 60_000, what: () => `${what}: head ${chain.head().header.number} of ${number}` })

/** `raw` with its header's state root replaced: a block that does not re-execute to its header. */
function wrongStateRoot(chain: Chain, raw: Uint8Array): Block {
  const fields = RLP.decode(raw) as unknown as [Uint8Array[], ...unknown[]]
  const header = [...fields[0]]
  header[3] = new Uint8Array(32).fill(9)
  return chain.decodeBlock(RLP.encode([header, ...(fields.slice(1) as Uint8Array[])]))
}

t.test('sequencer chain stores a seal with every built block, none for genesis', async (t) => {
  t.equal(await seq.getSeal((await seq.getBlockByNumber(0n))!.hash()), undefined, 'genesis unsealed')
  const range = await server.getBlockRange(0n, 5, RANGE_BYTES)
  t.equal(range.length, 0, 'a range from genesis stops at once (genesis has no seal)')
  const from1 = await server.getBlockRange(1n, 5, RANGE_BYTES)
  t.equal(from1.length, 5)
  t.ok(equalsBytes(decodeSealedBlock(from1[0]!).block, built[0]!.serialize()), 'block 1 as stored')
  const limited = await server.getBlockRange(1n, 64, from1[0]!.length + from1[1]!.length)
  t.equal(limited.length, 2, 'stops before maxBytes would be passed')
  t.equal((await server.getBlockRange(BigInt(BLOCKS), 10, RANGE_BYTES)).length, 1, 'stops at the head')
})

t.test('a fresh validator range-syncs to the same head hash and state root', async (t) => {
  const network = new FakeNetwork()
  network.peers.set('a', honest)
  network.peers.set('b', honest)
  const { chain, sync } = await validator(t, 'fresh', network)
  await reachHead(chain, BigInt(BLOCKS), 'range sync')
  t.equal(bytesToHex(chain.head().hash()), bytesToHex(seq.head().hash()), 'same head hash')
  t.equal(bytesToHex(chain.head().header.stateRoot), bytesToHex(seq.head().header.stateRoot), 'same state root')
  t.same(network.reports, [], 'nobody reported')
  t.ok(
    network.requests.every((r) => r.count <= 64),
    'batches of at most 64',
  )
  t.ok(new Set(network.requests.map((r) => r.peerId)).size === 2, 'both peers asked')
  t.ok(equalsBytes((await chain.getSeal(built[10]!.hash()))!, (await seq.getSeal(built[10]!.hash()))!), 'seals stored with imported blocks')
  await poll(() => !sync.status().syncing || undefined, { timeoutMs: 10_000, what: 'syncing off' })
  t.same(sync.status(), { syncing: false, startingBlock: BigInt(BLOCKS), head: BigInt(BLOCKS), target: BigInt(BLOCKS) })
})

t.test('peers serving a bad seal or a wrong state root are reported; another peer is used', async (t) => {
  const network = new FakeNetwork()
  const badSeal = async (s: bigint, c: number): Promise<Uint8Array[]> => {
    const blocks = await server.getBlockRange(s, c, RANGE_BYTES)
    return blocks.map((b, i) =>
      i === 3
        ? encodeSealedBlock({ block: decodeSealedBlock(b).block, seal: sealBlockHash(syncSpec.chainId, built[Number(s) + i - 1]!.hash(), intruder.key) })
        : b,
    )
  }
  const badRoot = async (s: bigint, c: number): Promise<Uint8Array[]> => {
    const blocks = await server.getBlockRange(s, c, RANGE_BYTES)
    return blocks.map((b, i) => {
      if (i !== 5) return b
      const tampered = wrongStateRoot(seq, decodeSealedBlock(b).block)
      return encodeSealedBlock({ block: tampered.serialize(), seal: sealer(tampered.hash()) })
    })
  }
  network.peers.set('bad-seal', { head: honest.head, blocksByRange: badSeal })
  network.peers.set('bad-root', { head: honest.head, blocksByRange: badRoot })
  network.peers.set('honest', honest)
  const { chain } = await validator(t, 'attacked', network)
  await reachHead(chain, BigInt(BLOCKS), 'sync past bad peers')
  t.equal(bytesToHex(chain.head().header.stateRoot), bytesToHex(seq.head().header.stateRoot), 'same state root')
  t.same(
    network.reports.sort((a, b) => a.peerId.localeCompare(b.peerId)),
    [
      { peerId: 'bad-root', offence: 'invalid_block' },
      { peerId: 'bad-seal', offence: 'invalid_block' },
    ],
    'each bad peer reported once, then left out',
  )
})

t.test('a peer that times out or answers out of range is reported', async (t) => {
  const network = new FakeNetwork()
  network.peers.set('silent', { head: honest.head, blocksByRange: () => new Promise(() => {}) })
  network.peers.set('shifted', { head: honest.head, blocksByRange: (s, c) => server.getBlockRange(s + 1n, c, RANGE_BYTES) })
  network.peers.set('honest', honest)
  const { chain } = await validator(t, 'slow', network)
  await reachHead(chain, BigInt(BLOCKS), 'sync past a silent peer')
  const offences = Object.fromEntries(network.reports.map((r) => [r.peerId, r.offence]))
  t.same(offences, { silent: 'timeout', shifted: 'invalid_response' })
})

t.test('no peers, or peers at our head: nothing to do', async (t) => {
  const network = new FakeNetwork()
  const { sync } = await validator(t, 'alone', network)
  sync.poke()
  await poll(() => network.requests.length === 0 && !sync.status().syncing, { timeoutMs: 1_000, what: 'idle' })
  t.same(sync.status(), { syncing: false, startingBlock: 0n, head: 0n, target: 0n })
  await sync.stop()
  await sync.stop()
  t.pass('stop is idempotent')
})

t.test('gossip verdicts and the future-block buffer', async (t) => {
  const network = new FakeNetwork()
  // a lagging peer: range sync must not fill the gap, so gossip alone is seen
  const { chain, sync } = await validator(t, 'gossip', network)
  const sealed = await server.getBlockRange(1n, 10, RANGE_BYTES)
  const [b1, b2, b3, b4, b5] = sealed as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array]
  t.equal(await sync.onGossipBlock(new Uint8Array([1, 2, 3]), 'x'), 'reject', 'garbage')
  t.equal(await sync.onGossipBlock(encodeSealedBlock({ block: decodeSealedBlock(b1).block, seal: new Uint8Array(65) }), 'x'), 'reject', 'malformed seal')
  const intruderSeal = sealBlockHash(syncSpec.chainId, built[0]!.hash(), intruder.key)
  t.equal(await sync.onGossipBlock(encodeSealedBlock({ block: decodeSealedBlock(b1).block, seal: intruderSeal }), 'x'), 'reject', 'sealed by another key')
  const tampered = wrongStateRoot(seq, decodeSealedBlock(b1).block)
  t.equal(await sync.onGossipBlock(encodeSealedBlock({ block: tampered.serialize(), seal: sealer(tampered.hash()) }), 'x'), 'reject', 'wrong state root')
  t.equal(chain.head().header.number, 0n, 'nothing imported')
  t.equal(await sync.onGossipBlock(b1, 'p'), 'accept', 'block on the head')
  t.equal(await sync.onGossipBlock(b1, 'p'), 'ignore', 'known block')
  t.equal(await sync.onGossipBlock(b3, 'p'), 'ignore', 'future block: buffered')
  t.equal(await sync.onGossipBlock(b5, 'p'), 'ignore', 'another future block')
  t.equal(chain.head().header.number, 1n, 'not imported yet')
  t.equal(sync.status().target, 5n, 'target from the future block')
  t.equal(await sync.onGossipBlock(b2, 'p'), 'accept', 'the missing parent')
  await reachHead(chain, 3n, 'buffered block 3 imported once its parent is head')
  t.equal(chain.head().header.number, 3n, 'block 5 waits for 4')
  t.equal(await sync.onGossipBlock(b4, 'p'), 'accept')
  await reachHead(chain, 5n, 'buffered block 5')
  t.equal(bytesToHex(chain.head().hash()), bytesToHex(built[4]!.hash()))
  t.equal(await sync.onGossipBlock(b3, 'p'), 'ignore', 'old block')
  t.same(network.reports, [])
})

t.test('a gossip gap triggers range sync, then gossip takes over', async (t) => {
  const network = new FakeNetwork()
  network.peers.set('p', honest)
  const { chain, sync } = await validator(t, 'gap', network, { start: false })
  sync.start()
  sync.start()
  await reachHead(chain, BigInt(BLOCKS), 'range sync from start()')
  // the sequencer builds on; the new block arrives by gossip
  const [next] = await buildBlocks(seq, 1)
  const [sealed] = await server.getBlockRange(next!.header.number, 1, RANGE_BYTES)
  t.equal(await sync.onGossipBlock(sealed!, 'p'), 'accept')
  t.equal(bytesToHex(chain.head().hash()), bytesToHex(next!.hash()))
})

t.test('a peer that rate-limits is asked again after a pause, not reported or dropped', async (t) => {
  const network = new FakeNetwork()
  let refusals = 0
  let calls = 0
  network.peers.set('busy', {
    head: honest.head,
    blocksByRange: async (s, c) => {
      // refuses the second request and its first retry, as an empty token bucket would
      calls++
      if (calls === 2 || calls === 3) {
        refusals++
        throw new OpenLedgerError(SYNC_ERROR.RATE_LIMITED, 'rate-limited', { peerId: 'busy' })
      }
      return honest.blocksByRange(s, c)
    },
  })
  const chain = await validatorChain(dir, 'rate-limited')
  const sync = createSync({ chain, network, pollIntervalMs: 60_000, requestTimeoutMs: 2_000, rateLimitBackoffMs: 20 })
  t.teardown(async () => {
    await sync.stop()
    await chain.close()
  })
  sync.start()
  await reachHead(chain, seq.head().header.number, 'range sync through refusals')
  t.equal(refusals, 2, 'it was refused twice in a row')
  const ranges = Math.ceil(Number(seq.head().header.number) / 64)
  t.equal(calls, ranges + 2, 'each range asked once, the refused one twice more')
  t.same(network.reports, [], 'and never reported')
  t.equal(bytesToHex(chain.head().hash()), bytesToHex(seq.head().hash()), 'same head from the one peer')
})
