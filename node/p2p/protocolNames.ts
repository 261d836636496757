/** The gossip topics and request/response protocol ids of one chain. */
export type ProtocolNames = {
  /** gossip topic of sealed blocks */
  blocksTopic: string
  /** gossip topic of raw signed txs */
  txsTopic: string
  /** request/response: status exchange */
  status: string
  /** request/response: sealed blocks by number range */
  blocksByRange: string
}

/**
 * Every topic and protocol id node/p2p speaks, from one place (STYLE §3: hierarchical and
 * versioned). The chain id is part of each name, so nodes of different chains never share a
 * mesh or answer each other's requests.
 *
 * @example
 * protocolNames(1337n).blocksTopic // '/openledger/1337/blocks/1'
 */
export function protocolNames(chainId: bigint): ProtocolNames {
  const base = `/openledger/${chainId.toString()}`
  return {
    blocksTopic: `${base}/blocks/1`,
    txsTopic: `${base}/txs/1`,
    status: `${base}/req/status/1`,
    blocksByRange: `${base}/req/blocks_by_range/1`,
  }
}
