import type { Block } from '@ethereumjs/block'
import type { RpcContextOf } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { parseBlockParam, resolveBlock } from '../../params/blockParam.ts'

/**
 * The block a debug_getRaw* method names (EIP-1898 param): undefined for a number past the head
 * (geth answers null), -32000 for an unknown hash (geth's "header #.. not found").
 */
export async function rawBlockOf(ctx: RpcContextOf<'blocks'>, param: unknown): Promise<Block | undefined> {
  const p = parseBlockParam(param, 0)
  const block = await resolveBlock(ctx.blocks, p)
  if (block === undefined && p.kind === 'hash') throw new RpcError(RPC_ERROR.INVALID_INPUT, 'header not found')
  return block
}
