import type { BlockOverrides } from '../../ports/index.ts'
import type { RpcContextOf } from '../../types.ts'
import { calcNextBaseFee } from '../../../runtime/index.ts'

/**
 * The environment of the block a tx sent now lands in, as block overrides on the head's state:
 * number head + 1, the producer's next timestamp, the next base fee (geth's and anvil's "pending"
 * block without the pool's txs). A tx's gas can depend on them: an ERC20Votes checkpoint (GOPEN's
 * timestamp clock) is rewritten within one second but pushed in a new one, and governance and
 * vesting calls succeed or revert by the time, so an estimate in the head's own environment can
 * fall short of what the same tx needs one block later.
 */
export function pendingBlockOverrides(ctx: RpcContextOf<'blocks' | 'chainInfo' | 'producer'>): BlockOverrides {
  const head = ctx.blocks.head().header
  return { number: head.number + 1n, time: ctx.producer.nextBlockTimestamp(), baseFee: calcNextBaseFee(head, ctx.chainInfo.baseFeeParams) }
}
