import type { BlockParam } from './blockParam.ts'
import { parseBlockNumberOrTag } from './blockParam.ts'
import { badArg, jsonKind, parseAddress, parseHash, parseObject } from './parse.ts'

/** Parsed eth_getLogs / eth_newFilter criteria (execution-apis Filter). */
export type LogCriteria = {
  fromBlock: BlockParam
  toBlock: BlockParam
  blockHash?: Uint8Array
  addresses?: Uint8Array[]
  /** position-wise; null = any; array = OR */
  topics?: (Uint8Array[] | null)[]
}

/** geth limits topic positions to four (the LOG4 maximum). */
const MAX_TOPICS = 4

/** Parse a filter object. */
export function parseLogCriteria(value: unknown, index: number): LogCriteria {
  const o = parseObject(value, index, 'filters.FilterCriteria')
  const out: LogCriteria = {
    fromBlock: parseBlockNumberOrTag(o.fromBlock, index),
    toBlock: parseBlockNumberOrTag(o.toBlock, index),
  }
  if (o.blockHash !== undefined && o.blockHash !== null) {
    if ((o.fromBlock !== undefined && o.fromBlock !== null) || (o.toBlock !== undefined && o.toBlock !== null)) {
      throw badArg(index, 'cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other')
    }
    out.blockHash = parseHash(o.blockHash, index)
  }
  const a = o.address
  if (a !== undefined && a !== null) {
    if (typeof a === 'string') out.addresses = [parseAddress(a, index)]
    else if (Array.isArray(a)) out.addresses = a.map((x) => parseAddress(x, index))
    else throw badArg(index, `invalid addresses in query: ${jsonKind(a)}`)
  }
  const t = o.topics
  if (t !== undefined && t !== null) {
    if (!Array.isArray(t)) throw badArg(index, `json: cannot unmarshal ${jsonKind(t)} into topics`)
    if (t.length > MAX_TOPICS) throw badArg(index, 'exceed max topics')
    out.topics = t.map((pos) => {
      if (pos === null) return null
      if (typeof pos === 'string') return [parseHash(pos, index)]
      if (Array.isArray(pos)) {
        // an OR list containing null matches anything at that position (geth semantics)
        if (pos.some((x) => x === null)) return null
        return pos.map((x) => parseHash(x, index))
      }
      throw badArg(index, 'invalid topic(s)')
    })
  }
  return out
}
