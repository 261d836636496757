import type { Block } from '@ethereumjs/block'
import type { Logger } from 'pino'
import { OpenLedgerError } from '../runtime/index.ts'
import type { RpcNodeInfo, RpcSyncStatus } from '../rpc/index.ts'
import type { Chain } from './chain/index.ts'
import { NODE_ERROR } from './nodeErrors.ts'
import type { P2pNetwork } from './p2p/index.ts'
import { encodeSealedBlock } from './sync/index.ts'
import type { Sync } from './sync/index.ts'

/** The network, or NODE_ERROR_STARTING while it is not created yet. */
export function requireP2p(p2p: P2pNetwork | undefined): P2pNetwork {
  if (p2p === undefined) throw new OpenLedgerError(NODE_ERROR.STARTING, 'the p2p network is not started yet')
  return p2p
}

/**
 * Sequencer: gossip a block it just committed, sealed (the seal was stored with the block). Never
 * throws: a block nobody received is fetched later by range sync.
 */
export async function publishBlock(chain: Chain, p2p: P2pNetwork, block: Block, log: Logger): Promise<void> {
  try {
    const seal = await chain.getSeal(block.hash())
    if (seal === undefined) {
      log.error({ number: block.header.number }, 'built block has no seal: not published')
      return
    }
    const recipients = await p2p.publishBlock(encodeSealedBlock({ block: block.serialize(), seal }))
    log.debug({ number: block.header.number, recipients }, 'block published')
  } catch (err) {
    log.warn({ err, number: block.header.number }, 'block gossip failed')
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
