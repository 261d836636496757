import type { RpcMethod } from '../../types.ts'
import { toQuantity } from '../../hex.ts'

/**
 * eth_blobBaseFee: the blob base fee of the head block, from its excessBlobGas with the EIP-4844
 * formula fake_exponential(1, excessBlobGas, Prague's update fraction), as geth's BlobBaseFee. Blob
 * txs are disabled here, so excessBlobGas stays 0 and the answer is the minimum, "0x1": what geth
 * answers for a Prague header with no excess and op-geth for every OP Stack block. A header
 * without the field answers null (geth).
 * Example: [] -> "0x1".
 */
export const blobBaseFee: RpcMethod<'blocks'> = {
  name: 'eth_blobBaseFee',
  minParams: 0,
  maxParams: 0,
  handler(ctx) {
    const header = ctx.blocks.head().header
    return header.excessBlobGas === undefined ? null : toQuantity(header.getBlobGasPrice())
  },
}
