import type { Block } from '@ethereumjs/block'
import type { Logger } from 'pino'
import { OpenLedgerError, encodeBlock, isCodedError } from '../runtime/index.ts'
import type { RpcNodeInfo, RpcSyncStatus } from '../rpc/index.ts'
import type { Chain } from './chain/index.ts'
import { NODE_ERROR } from './nodeErrors.ts'
import { P2P_ERROR } from './p2p/index.ts'
import type { P2pNetwork } from './p2p/index.ts'
import { SYNC_ERROR, encodeSealedBlock } from './sync/index.ts'
import type { Sync, SyncNetwork } from './sync/index.ts'

/** The network, or NODE_ERROR_STARTING while it is not created yet. */
export function requireP2p(p2p: P2pNetwork | undefined): P2pNetwork {
  if (p2p === undefined) throw new OpenLedgerError(NODE_ERROR.STARTING, 'the p2p network is not started yet')
  return p2p
}

/**
 * node/sync's port onto the p2p network (`p2p()` is read at each call: the network is created
 * after the sync, with its handlers). A peer's rate-limit refusal becomes SYNC_ERROR_RATE_LIMITED,
 * on which range sync pauses instead of dropping the peer.
 */
export function syncNetworkOf(p2p: () => P2pNetwork | undefined): SyncNetwork {
  return {
    peerHeads: async () => requireP2p(p2p()).peerHeads(),
    blocksByRange: async (peerId, start, count) => {
      try {
        return await requireP2p(p2p()).blocksByRange(peerId, start, count)
      } catch (err) {
        if (!isCodedError(err) || err.code !== P2P_ERROR.RATE_LIMITED) throw err
        throw new OpenLedgerError(SYNC_ERROR.RATE_LIMITED, 'the peer rate-limited a range request', { peerId }, { cause: err })
      }
    },
    reportPeer: (peerId, offence) => p2p()?.reportPeer(peerId, offence),
  }
}

/**
 * Sequencer: gossip a block it just committed, sealed (the seal was stored with the block). The
 * block's bytes come from encodeBlock, which reuses the tx encodings the build already made
 * (block.serialize() would encode every tx again). Never throws: a block nobody received is
 * fetched later by range sync.
 */
export async function publishBlock(chain: Chain, p2p: P2pNetwork, block: Block, log: Logger): Promise<void> {
  try {
    const seal = await chain.getSeal(block.hash())
    if (seal === undefined) {
      log.error({ number: block.header.number }, 'built block has no seal: not published')
      return
    }
    const recipients = await p2p.publishBlock(encodeSealedBlock({ block: encodeBlock(block), seal }))
    log.debug({ number: block.header.number, recipients }, 'block published')
  } catch (err) {
    log.warn({ err, number: block.header.number }, 'block gossip failed')
  }
}

/** Gossip each raw tx handed to it on the txs topic (fire and forget: a failure is logged); undefined without a network. */
export function txBroadcastOf(p2p: P2pNetwork | undefined, log: Logger): ((raw: Uint8Array) => void) | undefined {
  if (p2p === undefined) return undefined
  return (raw) => {
    p2p.publishTx(raw).catch((err: unknown) => log.warn({ err }, 'tx gossip failed'))
  }
}

/** eth_syncing's answer: undefined when the node is not range-syncing. */
export function syncStatusOf(sync: Sync | undefined): RpcSyncStatus | undefined {
  const status = sync?.status()
  if (status === undefined || !status.syncing) return undefined
  return { startingBlock: status.startingBlock, currentBlock: status.head, highestBlock: status.target }
}

/** admin_nodeInfo's p2p part: the peer id, the listen multiaddrs and the bound TCP port. */
export function nodeInfoOf(p2p: P2pNetwork, role: 'sequencer' | 'validator'): RpcNodeInfo {
  const listenAddrs = p2p.multiaddrs()
  const port = listenAddrs.map((a) => /\/tcp\/(\d+)/.exec(a)?.[1]).find((p) => p !== undefined)
  return { id: p2p.peerId, listenAddrs, port: port === undefined ? 0 : Number(port), role }
}
