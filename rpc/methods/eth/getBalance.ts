import type { RpcAccount, StateAt } from '../../ports/index.ts'
import type { RpcContextOf, RpcMethod } from '../../types.ts'
import { parseAddressHex } from '../../params/parse.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'

function format(a: RpcAccount | undefined): string {
  return a === undefined ? '0x0' : '0x' + a.balance.toString(16)
}

function at(ctx: RpcContextOf<'state'>, address: string, n: StateAt): string | Promise<string> {
  const a = ctx.state.getAccount(address, n)
  return a instanceof Promise ? a.then(format) : format(a)
}

/**
 * eth_getBalance: wei balance at an EIP-1898 block. The latest-block path is synchronous when
 * the node's head-state cache answers, so it allocates no promise.
 * Example: ["0x7099...79c8", "latest"] -> "0x21e19e0c9bab2400000".
 */
export const getBalance: RpcMethod<'blocks' | 'state'> = {
  name: 'eth_getBalance',
  minParams: 1,
  maxParams: 2,
  handler(ctx, params) {
    const address = parseAddressHex(params[0], 0)
    const p = params[1]
    if (p === 'latest' || p === undefined || p === null) return at(ctx, address, ctx.blocks.head().header.number)
    const n = resolveStateBlock(ctx.blocks, parseBlockParam(p, 1))
    return typeof n === 'bigint' ? at(ctx, address, n) : n.then((m) => at(ctx, address, m))
  },
}
