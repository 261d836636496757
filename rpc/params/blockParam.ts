import type { Block } from '@ethereumjs/block'
import type { BlockReader, StateAt } from '../ports/index.ts'
import { RPC_ERROR, RpcError } from '../errors.ts'
import { badArg, jsonKind, parseHash, parseUint64 } from './parse.ts'
import { bytesEqual } from '../hex.ts'

/** A parsed EIP-1898 block parameter, not yet resolved against the chain. */
export type BlockParam =
  | { kind: 'tag'; tag: 'latest' | 'pending' | 'safe' | 'finalized' | 'earliest' }
  | { kind: 'number'; number: bigint }
  | { kind: 'hash'; hash: Uint8Array; requireCanonical: boolean }

const LATEST: BlockParam = { kind: 'tag', tag: 'latest' }

/** Parse a block tag or number (eth_getBlockByNumber style, no hash form). */
export function parseBlockNumberOrTag(value: unknown, index: number): BlockParam {
  if (value === undefined || value === null) return LATEST
  if (typeof value === 'string') {
    switch (value) {
      case 'latest':
      case 'pending':
      case 'safe':
      case 'finalized':
      case 'earliest':
        return { kind: 'tag', tag: value }
    }
    return { kind: 'number', number: parseUint64(value, index) }
  }
  throw badArg(index, `json: cannot unmarshal ${jsonKind(value)} into Go value of type rpc.BlockNumber`)
}

/** A 0x-prefixed 32-byte hash is 66 characters; geth reads such a string as a block hash. */
const HASH_STRING_LENGTH = 66

/**
 * Parse an EIP-1898 block parameter (execution-apis BlockNumberOrTagOrHash): tag, number, a plain
 * 32-byte block hash (requireCanonical false, as geth), {blockNumber} or {blockHash, requireCanonical}.
 */
export function parseBlockParam(value: unknown, index: number): BlockParam {
  if (typeof value === 'string' && value.length === HASH_STRING_LENGTH) {
    return { kind: 'hash', hash: parseHash(value, index), requireCanonical: false }
  }
  if (value === undefined || value === null || typeof value === 'string') return parseBlockNumberOrTag(value, index)
  if (typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>
    if (o.blockHash !== undefined && o.blockNumber !== undefined) {
      throw badArg(index, 'cannot specify both BlockHash and BlockNumber, choose one or the other')
    }
    if (o.blockHash !== undefined) {
      const rc = o.requireCanonical
      if (rc !== undefined && typeof rc !== 'boolean') throw badArg(index, 'requireCanonical must be a boolean')
      return { kind: 'hash', hash: parseHash(o.blockHash, index), requireCanonical: rc === true }
    }
    if (o.blockNumber !== undefined) return parseBlockNumberOrTag(o.blockNumber, index)
    throw badArg(index, 'invalid block parameter: need blockHash or blockNumber')
  }
  throw badArg(index, `json: cannot unmarshal ${jsonKind(value)} into Go value of type rpc.BlockNumberOrHash`)
}

/** True for the "pending" tag (log queries and filters refuse it, as geth). */
export function isPendingTag(p: BlockParam): boolean {
  return p.kind === 'tag' && p.tag === 'pending'
}

/** Number of a tag or number (no hash form); may exceed the head for explicit numbers. */
export function tagToNumber(blocks: BlockReader, p: BlockParam & { kind: 'tag' | 'number' }): bigint {
  if (p.kind === 'number') return p.number
  switch (p.tag) {
    case 'latest':
    case 'pending':
      return blocks.head().header.number
    case 'safe':
      return blocks.safeBlockNumber()
    case 'finalized':
      return blocks.finalizedBlockNumber()
    case 'earliest':
      return 0n
  }
}

function headerNotFound(): RpcError {
  return new RpcError(RPC_ERROR.NOT_FOUND, 'header not found')
}

/**
 * Resolve a block parameter to the state a query reads. Synchronous for tags and numbers (the hot
 * path), a promise only for the hash form. A canonical hash resolves to its number; a hash off the
 * canonical chain resolves to that block (its own state root is read) unless requireCanonical is
 * set. Blocks beyond the head and unknown hashes answer -32001 (geth's wording).
 */
export function resolveStateBlock(blocks: BlockReader, p: BlockParam): bigint | Promise<StateAt> {
  if (p.kind !== 'hash') {
    const n = tagToNumber(blocks, p)
    if (n > blocks.head().header.number) throw headerNotFound()
    return n
  }
  return resolveHash(blocks, p)
}

async function resolveHash(blocks: BlockReader, p: BlockParam & { kind: 'hash' }): Promise<StateAt> {
  const block = await blocks.getBlockByHash(p.hash)
  if (block === undefined) throw new RpcError(RPC_ERROR.NOT_FOUND, 'header for hash not found')
  if (await isCanonical(blocks, block)) return block.header.number
  if (p.requireCanonical) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'hash is not currently canonical')
  return block
}

async function isCanonical(blocks: BlockReader, block: Block): Promise<boolean> {
  const canonical = await blocks.getBlockByNumber(block.header.number)
  return canonical !== undefined && bytesEqual(canonical.hash(), block.hash())
}

/** Resolve a block parameter to a block (undefined when it does not exist). */
export async function resolveBlock(blocks: BlockReader, p: BlockParam): Promise<Block | undefined> {
  if (p.kind === 'hash') {
    const block = await blocks.getBlockByHash(p.hash)
    if (block !== undefined && p.requireCanonical && !(await isCanonical(blocks, block))) {
      throw new RpcError(RPC_ERROR.INVALID_INPUT, 'hash is not currently canonical')
    }
    return block
  }
  if (p.kind === 'tag' && (p.tag === 'latest' || p.tag === 'pending')) return blocks.head()
  const n = tagToNumber(blocks, p)
  if (n > blocks.head().header.number) return undefined
  return blocks.getBlockByNumber(n)
}
