import { createTx } from '@ethereumjs/tx'
import type { TypedTransaction, TypedTxData } from '@ethereumjs/tx'
import type { CallRequest } from '../../ports/index.ts'
import type { RpcContextOf } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { toHex } from '../../hex.ts'
import { checkChainId } from '../../params/callRequest.ts'
import { formatTx } from '../../format/formatTx.ts'
import { estimateGasFor } from './estimateGas.ts'
import { fillTxFees } from './fillTxFees.ts'
import { pendingBlockOverrides } from './pendingBlock.ts'

/** What building a tx reads: fees and head, pending nonce, the gas estimate, the chain's rules. */
export type BuildTxContext = RpcContextOf<'blocks' | 'calls' | 'chainInfo' | 'limits' | 'producer' | 'state' | 'txs'>

/**
 * The unsigned tx a request describes, with geth's defaults (setDefaults order: fees, nonce,
 * creation check, gas, chain id): tip from the oracle and maxFee = 2 * baseFee + tip, the
 * sender's pending nonce, the exact gas estimate for the next block (pendingBlockOverrides: where
 * the tx lands). Mistakes answer -32000 in geth's words.
 */
export async function buildTx(ctx: BuildTxContext, req: CallRequest, from: string): Promise<TypedTransaction> {
  const fees = await fillTxFees(ctx.blocks, req)
  const nonce = req.nonce ?? (await ctx.txs.pendingNonce(from))
  if (req.to === undefined && (req.data === undefined || req.data.length === 0)) {
    throw new RpcError(RPC_ERROR.INVALID_INPUT, 'contract creation without any data provided')
  }
  const gas =
    req.gas ??
    (await estimateGasFor(
      ctx,
      { ...req, ...fees, nonce },
      {
        at: ctx.blocks.head().header.number,
        blockOverrides: pendingBlockOverrides(ctx),
        gasCap: ctx.limits.gasCap,
      },
    ))
  checkChainId(req, ctx.chainInfo.chainId)
  const accessList = req.accessList?.map((e) => [e.address, e.storageKeys] as [Uint8Array, Uint8Array[]])
  const data: TypedTxData = { nonce, gasLimit: gas, to: req.to, value: req.value ?? 0n, data: req.data ?? new Uint8Array(0) }
  if ('gasPrice' in fees) Object.assign(data, { type: accessList === undefined ? 0 : 1, gasPrice: fees.gasPrice, accessList })
  else Object.assign(data, { type: 2, ...fees, accessList: accessList ?? [] })
  try {
    return createTx(data, { common: ctx.chainInfo.common })
  } catch (cause) {
    // ethereumjs' own field checks (e.g. gas * fee cap above 2^256): a user error, not a crash
    throw new RpcError(RPC_ERROR.INVALID_INPUT, 'invalid transaction fields', {}, { cause })
  }
}

/**
 * geth's SignTransactionResult: the EIP-2718 bytes and the tx object (a types.Transaction: no
 * block position and no sender; unsigned txs show v, r, s as 0x0).
 */
export function txResult(tx: TypedTransaction, from: Uint8Array): { raw: string; tx: Record<string, unknown> } {
  const { blockHash, blockNumber, blockTimestamp, transactionIndex, from: _from, ...fields } = formatTx(tx, undefined, from)
  return { raw: toHex(tx.serialize()), tx: fields }
}
