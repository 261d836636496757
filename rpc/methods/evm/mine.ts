import type { RpcMethod } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'

/**
 * evm_mine (--dev only, as anvil and Hardhat serve it): build one block now from the pool's
 * executable txs (an empty block when there are none), then answer "0x0". Every call is a
 * block of its own, concurrent ones (one batch) included.
 * Example: {"method":"evm_mine","params":[]} -> "0x0".
 */
export const mine: RpcMethod<'dev' | 'producer'> = {
  name: 'evm_mine',
  minParams: 0,
  maxParams: 0,
  async handler(ctx) {
    const mineBlock = ctx.producer.mineBlock
    if (!ctx.dev || mineBlock === undefined) throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, 'evm_mine is only available on a --dev sequencer')
    await mineBlock()
    return '0x0'
  },
}
