import { bytesToBigInt, hexToBytes } from '@ethereumjs/util'
import { AbiParameters } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import { mappingSlot } from '../framework/slots.ts'
import type { ModuleContext } from '../framework/types.ts'

/** The timelock's storage (governor/README.md, "Storage"). */
export const TIMELOCK_SLOTS = {
  minDelay: 0n,
  /** mapping(bytes32 id => uint256): 0 unset, 1 done, else the ready-at timestamp */
  timestamps: 1n,
  /** mapping(bytes32 role => mapping(address => bool)) */
  roles: 2n,
} as const

/** TimelockController.OperationState. */
export const OPERATION_STATE = { Unset: 0, Waiting: 1, Ready: 2, Done: 3 } as const
export type OperationState = (typeof OPERATION_STATE)[keyof typeof OPERATION_STATE]

/** The timestamp word of an executed operation. */
export const DONE_TIMESTAMP = 1n

const SINGLE = AbiParameters.from(['address', 'uint256', 'bytes', 'bytes32', 'bytes32'])
const BATCH = AbiParameters.from(['address[]', 'uint256[]', 'bytes[]', 'bytes32', 'bytes32'])

/** hashOperation: keccak256(abi.encode(target, value, data, predecessor, salt)). */
export function hashOperation(ctx: Pick<ModuleContext, 'keccak'>, target: Hex, value: bigint, data: Hex, predecessor: Hex, salt: Hex): bigint {
  return bytesToBigInt(ctx.keccak(hexToBytes(AbiParameters.encode(SINGLE, [target, value, data, predecessor, salt]))))
}

/** hashOperationBatch: keccak256(abi.encode(targets, values, payloads, predecessor, salt)). */
export function hashOperationBatch(ctx: Pick<ModuleContext, 'keccak'>, targets: Hex[], values: bigint[], payloads: Hex[], predecessor: Hex, salt: Hex): bigint {
  return bytesToBigInt(ctx.keccak(hexToBytes(AbiParameters.encode(BATCH, [targets, values, payloads, predecessor, salt]))))
}

export async function getTimestamp(ctx: ModuleContext, id: bigint): Promise<bigint> {
  return ctx.sload(mappingSlot(ctx, TIMELOCK_SLOTS.timestamps, id))
}

export async function setTimestamp(ctx: ModuleContext, id: bigint, timestamp: bigint): Promise<void> {
  await ctx.sstore(mappingSlot(ctx, TIMELOCK_SLOTS.timestamps, id), timestamp)
}

export async function operationState(ctx: ModuleContext, id: bigint): Promise<OperationState> {
  const timestamp = await getTimestamp(ctx, id)
  if (timestamp === 0n) return OPERATION_STATE.Unset
  if (timestamp === DONE_TIMESTAMP) return OPERATION_STATE.Done
  return timestamp > ctx.timestamp ? OPERATION_STATE.Waiting : OPERATION_STATE.Ready
}

export function roleSlot(ctx: Pick<ModuleContext, 'keccak'>, role: bigint, account: Hex): bigint {
  return mappingSlot(ctx, TIMELOCK_SLOTS.roles, role, BigInt(account))
}
