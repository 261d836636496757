import type { SimulatedBlock, SimulatedCall } from '../../runtime/index.ts'
import { RPC_CODE, toJsonRpcError } from '../errors.ts'
import type { JsonRpcErrorObject } from '../errors.ts'
import { toHex, toQuantity } from '../hex.ts'
import { callFailure } from '../revert.ts'
import { formatBlock } from './formatBlock.ts'
import { formatLog } from './formatReceipt.ts'

/**
 * One eth_simulateV1 block as geth returns it: the block as eth_getBlockByNumber shows it (txs as
 * hashes, or full objects whose `from` is the request's sender) plus `calls`, each with
 * returnData, logs (positioned in the block, with blockTimestamp), gasUsed, maxUsedGas, status and,
 * on failure, an error: code 3 "execution reverted[: reason]" with the revert data, or -32015
 * with the halt reason.
 */
export function formatSimulatedBlock(simulated: SimulatedBlock, fullTransactions: boolean): Record<string, unknown> {
  const { block, calls } = simulated
  const out = formatBlock(block, fullTransactions)
  const position = { hash: block.hash(), number: block.header.number, timestamp: toQuantity(block.header.timestamp) }
  out.calls = calls.map((call, index) => formatCall(call, position, block.transactions[index]!.hash(), index))
  return out
}

function formatCall(
  call: SimulatedCall,
  block: { hash: Uint8Array; number: bigint; timestamp: string },
  txHash: Uint8Array,
  index: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    returnData: toHex(call.returnData),
    logs: call.logs.map((l) => formatLog(l, { blockHash: block.hash, blockNumber: block.number, blockTimestamp: BigInt(block.timestamp) }, txHash, index)),
    gasUsed: toQuantity(call.gasUsed),
    maxUsedGas: toQuantity(call.maxUsedGas),
    status: toQuantity(call.status),
  }
  if (call.error !== undefined) out.error = callError(call)
  return out
}

function callError(call: SimulatedCall): JsonRpcErrorObject {
  // a revert is eth_call's code 3 error; another halt is geth's -32015 "VM execution error"
  if (call.error === 'revert') return toJsonRpcError(callFailure(call))
  return { code: RPC_CODE.VM_EXECUTION_ERROR, message: call.error ?? 'execution failed' }
}
