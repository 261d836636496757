import type { CallOptions, CallRequest, CallResult } from '../../ports/index.ts'
import type { RpcContextOf, RpcMethod } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { toHex, toQuantity } from '../../hex.ts'
import { callFailure } from '../../revert.ts'
import { checkChainId, parseBlockOverrides, parseCallRequest, parseStateOverrides } from '../../params/callRequest.ts'
import { isPendingTag, parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'
import { pendingBlockOverrides } from './pendingBlock.ts'

const ZERO_ADDRESS = new Uint8Array(20)

/** Minimum gas of any tx (intrinsic cost of a plain transfer). */
const TX_GAS = 21_000n

/**
 * The exact minimal gas limit under which `req` succeeds, by binary search over full executions
 * (geth's algorithm without its 1.5% early stop, so the answer is the true minimum).
 */
export async function estimateGasFor(ctx: RpcContextOf<'blocks' | 'state' | 'calls'>, req: CallRequest, opts: CallOptions): Promise<bigint> {
  const at = opts.at
  const head = typeof at !== 'bigint' ? at : at === ctx.blocks.head().header.number ? ctx.blocks.head() : await ctx.blocks.getBlockByNumber(at)
  let hi = req.gas !== undefined && req.gas >= TX_GAS ? req.gas : (opts.blockOverrides?.gasLimit ?? head?.header.gasLimit ?? opts.gasCap)
  // with a fee cap, the sender (the zero address when none is named) can only buy as much gas as
  // its balance left after the value allows; a value it cannot cover fails at once (geth's gasestimator)
  const feeCap = req.gasPrice ?? req.maxFeePerGas ?? 0n
  if (feeCap > 0n) {
    const hex = toHex(req.from ?? ZERO_ADDRESS)
    const override = opts.stateOverrides?.get(hex)?.balance
    const balance = override ?? (await ctx.state.getAccount(hex, at))?.balance ?? 0n
    const value = req.value ?? 0n
    if (value >= balance) throw new RpcError(RPC_ERROR.INVALID_INPUT, 'insufficient funds for transfer')
    const allowance = (balance - value) / feeCap
    if (hi > allowance) hi = allowance
  }
  if (hi > opts.gasCap) hi = opts.gasCap
  const run = (gas: bigint): Promise<CallResult> => ctx.calls.call({ ...req, gas }, opts)
  const first = await run(hi)
  if (first.error !== undefined) {
    if (first.error === 'revert') throw callFailure(first)
    if (first.error === 'out of gas' || first.error.startsWith('out of gas')) {
      throw new RpcError(RPC_ERROR.INVALID_INPUT, `gas required exceeds allowance (${hi})`)
    }
    throw callFailure(first)
  }
  // a plain transfer to an account without code needs exactly the intrinsic gas
  let lo = first.gasUsed > 0n ? first.gasUsed - 1n : TX_GAS - 1n
  if (lo < TX_GAS - 1n) lo = TX_GAS - 1n
  // a message whose path keeps no EIP-150 reserve and leaves the SSTORE sentry enough gas needs
  // exactly what it used: one run settles it (used - 1 always fails: execution needs at least
  // the gas it used before refunds)
  if (lo + 1n < hi) {
    const r = await run(lo + 1n)
    if (r.error === undefined) return lo + 1n
    lo += 1n
  }
  // next guess: used gas plus the 63/64 reserve (EIP-150) usually succeeds, shrinking hi fast
  const guess = (first.gasUsed * 64n) / 63n
  if (guess < hi && guess > lo) {
    const r = await run(guess)
    if (r.error === undefined) hi = guess
    else lo = guess
  }
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n
    const r = await run(mid)
    if (r.error === undefined) hi = mid
    else lo = mid
  }
  return hi
}

/**
 * eth_estimateGas: exact minimal gas limit; reverts answer code 3 with the revert data. Without a
 * block (as viem and ethers send it) or with "pending", the estimate is for the next block: the
 * head's state in that block's environment (pendingBlockOverrides; anvil's default, where geth
 * takes the head's own); block overrides given in param 4 win. Example:
 * [{ "from": "0x7099...", "to": "0x4f50...1002", "data": "0xd0e30db0", "value": "0x1" }].
 */
export const estimateGas: RpcMethod<'blocks' | 'calls' | 'chainInfo' | 'limits' | 'producer' | 'state'> = {
  name: 'eth_estimateGas',
  minParams: 1,
  maxParams: 4,
  async handler(ctx, params) {
    const req = parseCallRequest(params[0], 0)
    checkChainId(req, ctx.chainInfo.chainId)
    const block = parseBlockParam(params[1], 1)
    const at = await resolveStateBlock(ctx.blocks, block)
    const stateOverrides = parseStateOverrides(params[2], 2)
    const given = parseBlockOverrides(params[3], 3)
    const pending = params[1] === undefined || params[1] === null || isPendingTag(block)
    const blockOverrides = pending ? { ...pendingBlockOverrides(ctx), ...given } : given
    return toQuantity(await estimateGasFor(ctx, req, { at, stateOverrides, blockOverrides, gasCap: ctx.limits.gasCap }))
  },
}
