import type { TxReceipt as VmTxReceipt } from '@ethereumjs/vm'
import type { TxReceipt } from '../../../runtime/index.ts'
import { DEPOSIT_TX_TYPE, encodeDepositReceipt, encodeTxReceipt } from '../../../runtime/index.ts'
import type { RpcMethod } from '../../types.ts'
import { toHex } from '../../hex.ts'
import { rawBlockOf } from './rawBlock.ts'

/** The consensus (receipt trie) encoding of a stored receipt. */
function encodeReceipt(r: TxReceipt): Uint8Array {
  const vm = { status: r.status, cumulativeBlockGasUsed: r.cumulativeGasUsed, bitvector: r.logsBloom, logs: r.logs.map((l) => [l.address, l.topics, l.data]) }
  if (r.txType === DEPOSIT_TX_TYPE) return encodeDepositReceipt(vm as unknown as VmTxReceipt, r.depositNonce ?? 0n)
  return encodeTxReceipt(vm as unknown as VmTxReceipt, r.txType)
}

/** debug_getRawReceipts: the EIP-2718 encodings of a block's receipts. Example: ["latest"] -> ["0x02f901..."]. */
export const getRawReceipts: RpcMethod<'blocks'> = {
  name: 'debug_getRawReceipts',
  minParams: 1,
  maxParams: 1,
  async handler(ctx, params) {
    const block = await rawBlockOf(ctx, params[0])
    if (block === undefined) return null
    const receipts = (await ctx.blocks.getReceipts(block.hash())) ?? []
    return receipts.map((r) => toHex(encodeReceipt(r)))
  },
}
