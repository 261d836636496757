import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { AbiFunction } from 'ox'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { toQuantity } from '../../hex.ts'
import { parseBlockParam, resolveStateBlock } from '../../params/blockParam.ts'
import type { RpcMethod } from '../../types.ts'
import { chainParamsAbi, vestingAbi } from '../../../runtime/index.ts'

/** The reads of the supply: the chainParams module's blockParams() and the vesting module's totals(). */
const BLOCK_PARAMS = AbiFunction.fromAbi(chainParamsAbi, 'blockParams')
const VESTING_TOTALS = AbiFunction.fromAbi(vestingAbi, 'totals')

/**
 * openledger_getSupply: where the chain's OPEN is at a block (EIP-1898 block param, default
 * latest), from state: `total` (the tokenomics table's fixed supply), `locked` (held by the
 * vesting module, not spendable until released; of it `unvested` by the schedules at that block's
 * time), `wrapped` (held by GOPEN), `fees` (the fee recipients' balances) and `circulating` =
 * total - locked - wrapped - fees. Quantities are hex wei.
 */
export const getSupply: RpcMethod<'blocks' | 'state' | 'calls' | 'chainInfo' | 'limits'> = {
  name: 'openledger_getSupply',
  minParams: 0,
  maxParams: 1,
  async handler(ctx, params) {
    const total = ctx.chainInfo.totalSupply
    const byName = new Map(ctx.chainInfo.modules.map((m) => [m.name, m.address]))
    const [vesting, gopen, chainParams] = [byName.get('vesting'), byName.get('gopen'), byName.get('chainParams')]
    if (total === undefined || vesting === undefined || gopen === undefined || chainParams === undefined) {
      throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, 'openledger_getSupply needs a chain with tokenomics and runtime modules')
    }
    const at = await resolveStateBlock(ctx.blocks, parseBlockParam(params[0] ?? 'latest', 0))
    const call = async <F extends AbiFunction.AbiFunction>(to: string, fn: F) => {
      const r = await ctx.calls.call({ to: hexToBytes(to as `0x${string}`), data: hexToBytes(AbiFunction.encodeData(fn)) }, { at, gasCap: ctx.limits.gasCap })
      if (r.error !== undefined) throw new RpcError(RPC_ERROR.INTERNAL, `reading ${to} failed: ${r.error}`)
      return AbiFunction.decodeResult(fn, bytesToHex(r.returnData)) as readonly unknown[]
    }
    const balance = async (a: string) => (await ctx.state.getAccount(a, at))?.balance ?? 0n
    const [, , , baseFeeRecipient, priorityFeeRecipient] = await call(chainParams, BLOCK_PARAMS)
    const recipients = [...new Set([(baseFeeRecipient as string).toLowerCase(), (priorityFeeRecipient as string).toLowerCase()])]
    const locked = await balance(vesting)
    const wrapped = await balance(gopen)
    let fees = 0n
    for (const r of recipients) fees += await balance(r)
    const [, , unvested] = (await call(vesting, VESTING_TOTALS)) as readonly bigint[]
    return {
      block: toQuantity(typeof at === 'bigint' ? at : at.header.number),
      total: toQuantity(total),
      circulating: toQuantity(total - locked - wrapped - fees),
      locked: toQuantity(locked),
      unvested: toQuantity(unvested),
      wrapped: toQuantity(wrapped),
      fees: toQuantity(fees),
      feeRecipients: recipients,
    }
  },
}
