// Helpers of the sync integration suites: a sequencer chain whose blocks are sealed, a validator
// chain on the same spec, and a fake SyncNetwork of peers serving chains through Sync.getBlockRange.
import { join } from 'node:path'
import type { Block } from '@ethereumjs/block'
import { Address, bigIntToBytes, setLengthLeft } from '@ethereumjs/util'
import type { Hex } from '../../../genesis/index.ts'
import { createChain } from '../../../node/chain/index.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { sealBlockHash } from '../../../node/sync/index.ts'
import type { PeerHead, PeerOffence, SyncNetwork } from '../../../node/sync/index.ts'
import { createTestSpec, signed1559, testAccounts } from '../../fixtures/chain/testSpec.ts'

/** Senders of the workload, and the sequencer (its key seals the blocks). */
export const syncAccounts = testAccounts(4, 'sync-test')
export const sequencer = testAccounts(1, 'sync-sequencer')[0]!
/** The spec both sides use: the test spec with our sequencer. */
export const syncSpec = { ...createTestSpec({ accounts: syncAccounts }), sequencer: sequencer.hex.toLowerCase() as Hex }

/** The sealer node.ts passes createChain: sealBlockHash bound to the sequencer's key. */
export const sealer = (hash: Uint8Array): Uint8Array => sealBlockHash(syncSpec.chainId, hash, sequencer.key)

/** A sequencer chain (sealing) in `<dir>/<name>`. */
export function sequencerChain(dir: string, name = 'sequencer'): Promise<Chain> {
  return createChain({ dataDir: join(dir, name), spec: syncSpec, sealer })
}

/** A validator chain (no sealer) in `<dir>/<name>`. */
export function validatorChain(dir: string, name: string): Promise<Chain> {
  return createChain({ dataDir: join(dir, name), spec: syncSpec })
}

const sink = (i: number): Address => new Address(setLengthLeft(bigIntToBytes(0x5e4c0000n + BigInt(i)), 20))

/** Build `count` blocks of `txsPerBlock` transfers (round-robin senders) on `chain`; returns them. */
export async function buildBlocks(chain: Chain, count: number, txsPerBlock = 2): Promise<Block[]> {
  const out: Block[] = []
  for (let b = 0; b < count; b++) {
    const head = chain.head()
    const state = await chain.stateAt(head.header.number)
    const nonces = await Promise.all(syncAccounts.map(async (a) => (await state.getAccount(a.address))?.nonce ?? 0n))
    const txs = []
    for (let i = 0; i < txsPerBlock; i++) {
      const from = i % syncAccounts.length
      txs.push(signed1559(chain.common, syncAccounts[from]!, { nonce: nonces[from]!++, to: sink(i), value: 1n + BigInt(i) }))
    }
    const { block } = await chain.buildBlock(txs, { timestamp: head.header.timestamp + 1n })
    out.push(block)
  }
  return out
}

/** A peer of the fake network: its head and how it answers blocks_by_range. */
export type FakePeer = {
  head: () => { number: bigint; hash: Uint8Array }
  blocksByRange: (start: bigint, count: number) => Promise<Uint8Array[]>
}

/** A SyncNetwork over fake peers; records every report and request. */
export class FakeNetwork implements SyncNetwork {
  readonly peers = new Map<string, FakePeer>()
  readonly reports: { peerId: string; offence: PeerOffence }[] = []
  readonly requests: { peerId: string; start: bigint; count: number }[] = []

  async peerHeads(): Promise<PeerHead[]> {
    return [...this.peers].map(([peerId, p]) => ({ peerId, ...p.head() }))
  }

  async blocksByRange(peerId: string, start: bigint, count: number): Promise<Uint8Array[]> {
    this.requests.push({ peerId, start, count })
    const peer = this.peers.get(peerId)
    if (peer === undefined) throw new Error(`FakeNetwork: no peer ${peerId}`)
    return peer.blocksByRange(start, count)
  }

  reportPeer(peerId: string, offence: PeerOffence): void {
    this.reports.push({ peerId, offence })
  }
}
