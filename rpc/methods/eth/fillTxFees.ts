import type { BlockReader, CallRequest } from '../../ports/index.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { toQuantity } from '../../hex.ts'
import { suggestTip } from './feeOracle.ts'

/** The fee fields of a tx about to be signed: a legacy gas price, or EIP-1559 caps. */
export type TxFees = { gasPrice: bigint } | { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }

function invalid(message: string): RpcError {
  return new RpcError(RPC_ERROR.INVALID_INPUT, message)
}

function tipAboveCap(maxFee: bigint, tip: bigint): RpcError {
  // geth prints both as hexutil.Big, i.e. 0x-hex
  return invalid(`maxFeePerGas (${toQuantity(maxFee)}) < maxPriorityFeePerGas (${toQuantity(tip)})`)
}

/**
 * geth's setFeeDefaults for eth_sendTransaction (London rules): a given gas price is kept (it must
 * be non-zero); otherwise the tip defaults to the oracle's suggestion and the fee cap to
 * tip + 2 * base fee, and a fee cap below the tip is refused with geth's -32000 wording.
 */
export async function fillTxFees(blocks: BlockReader, req: CallRequest): Promise<TxFees> {
  if (req.gasPrice !== undefined) {
    if (req.gasPrice === 0n) throw invalid('gasPrice must be non-zero after london fork')
    return { gasPrice: req.gasPrice }
  }
  if (req.maxFeePerGas !== undefined && req.maxPriorityFeePerGas !== undefined) {
    if (req.maxFeePerGas === 0n) throw invalid('maxFeePerGas must be non-zero')
    if (req.maxFeePerGas < req.maxPriorityFeePerGas) throw tipAboveCap(req.maxFeePerGas, req.maxPriorityFeePerGas)
    return { maxFeePerGas: req.maxFeePerGas, maxPriorityFeePerGas: req.maxPriorityFeePerGas }
  }
  const tip = req.maxPriorityFeePerGas ?? (await suggestTip(blocks))
  const maxFee = req.maxFeePerGas ?? tip + 2n * (blocks.head().header.baseFeePerGas ?? 0n)
  if (maxFee < tip) throw tipAboveCap(maxFee, tip)
  return { maxFeePerGas: maxFee, maxPriorityFeePerGas: tip }
}
