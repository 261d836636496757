import { hexToBytes } from '@ethereumjs/util'
import type { Hex } from '../../../genesis/index.ts'
import { verifyCallResult } from '../framework/moduleCalls.ts'
import type { ModuleContext, ModuleFunction } from '../framework/types.ts'
import { stateBitmap, toBytes32 } from '../framework/words.ts'
import { hasRole, onlyRole, TIMELOCK_ROLES } from './accessControl.ts'
import {
  DONE_TIMESTAMP,
  OPERATION_STATE,
  type OperationState,
  TIMELOCK_SLOTS,
  getTimestamp,
  hashOperation,
  hashOperationBatch,
  operationState,
  setTimestamp,
} from './timelockStorage.ts'

/** One call of an operation. */
type Call = { target: Hex; value: bigint; data: Hex }

const ZERO = toBytes32(0n)
const ZERO_ADDRESS: Hex = '0x0000000000000000000000000000000000000000'
const PENDING = [OPERATION_STATE.Waiting, OPERATION_STATE.Ready] as const

const is = async (ctx: ModuleContext, id: bigint, ...states: OperationState[]) => states.includes(await operationState(ctx, id))

/** The calls of a batch, after OZ's length check. */
function batch(ctx: ModuleContext, targets: Hex[], values: bigint[], payloads: Hex[]): Call[] {
  if (targets.length !== values.length || targets.length !== payloads.length) {
    ctx.revert('TimelockInvalidOperationLength', [BigInt(targets.length), BigInt(payloads.length), BigInt(values.length)])
  }
  return targets.map((target, i) => ({ target, value: values[i]!, data: payloads[i]! }))
}

/** `_schedule` and its events (the caller holds PROPOSER_ROLE). */
async function schedule(ctx: ModuleContext, id: bigint, calls: Call[], predecessor: Hex, salt: Hex, delay: bigint): Promise<void> {
  if (!(await is(ctx, id, OPERATION_STATE.Unset)))
    ctx.revert('TimelockUnexpectedOperationState', [toBytes32(id), toBytes32(stateBitmap(OPERATION_STATE.Unset))])
  const minDelay = await ctx.sload(TIMELOCK_SLOTS.minDelay)
  if (delay < minDelay) ctx.revert('TimelockInsufficientDelay', [delay, minDelay])
  await setTimestamp(ctx, id, ctx.timestamp + delay)
  calls.forEach((c, index) => {
    ctx.emit('CallScheduled', { id: toBytes32(id), index: BigInt(index), target: c.target, value: c.value, data: c.data, predecessor, delay })
  })
  if (salt !== ZERO) ctx.emit('CallSalt', { id: toBytes32(id), salt })
}

/** onlyRoleOrOpenRole(EXECUTOR_ROLE): the role held by address(0) opens execution to everyone. */
async function onlyExecutor(ctx: ModuleContext): Promise<void> {
  if (!(await hasRole(ctx, TIMELOCK_ROLES.EXECUTOR_ROLE, ZERO_ADDRESS))) await onlyRole(ctx, TIMELOCK_ROLES.EXECUTOR_ROLE)
}

/**
 * `execute` / `executeBatch` (the caller may execute): ready, predecessor done, each
 * call made with its value (a failure reverts the whole operation with the callee's revert
 * data, or FailedCall), still ready afterwards (no re-entrant execute or cancel), then done.
 */
async function execute(ctx: ModuleContext, id: bigint, calls: Call[], predecessor: Hex): Promise<void> {
  const notReady = () => ctx.revert('TimelockUnexpectedOperationState', [toBytes32(id), toBytes32(stateBitmap(OPERATION_STATE.Ready))])
  if (!(await is(ctx, id, OPERATION_STATE.Ready))) notReady()
  if (predecessor !== ZERO && !(await is(ctx, BigInt(predecessor), OPERATION_STATE.Done))) ctx.revert('TimelockUnexecutedPredecessor', [predecessor])
  for (const [index, c] of calls.entries()) {
    verifyCallResult(ctx, await ctx.call(c.target, c.value, hexToBytes(c.data)))
    ctx.emit('CallExecuted', { id: toBytes32(id), index: BigInt(index), target: c.target, value: c.value, data: c.data })
  }
  if (!(await is(ctx, id, OPERATION_STATE.Ready))) notReady()
  await setTimestamp(ctx, id, DONE_TIMESTAMP)
}

const stateQuery = (name: string, ...states: OperationState[]): ModuleFunction => ({
  abi: `function ${name}(bytes32 id) view returns (bool)`,
  handler: async (ctx, [id]) => is(ctx, BigInt(id as Hex), ...states),
})

/** OZ TimelockController 5.7's own functions (roles in accessControl.ts). */
export const TIMELOCK_FUNCTIONS: readonly ModuleFunction[] = [
  stateQuery('isOperation', OPERATION_STATE.Waiting, OPERATION_STATE.Ready, OPERATION_STATE.Done),
  stateQuery('isOperationPending', ...PENDING),
  stateQuery('isOperationReady', OPERATION_STATE.Ready),
  stateQuery('isOperationDone', OPERATION_STATE.Done),
  {
    abi: 'function getTimestamp(bytes32 id) view returns (uint256)',
    handler: async (ctx, [id]) => getTimestamp(ctx, BigInt(id as Hex)),
  },
  { abi: 'function getOperationState(bytes32 id) view returns (uint8)', handler: async (ctx, [id]) => operationState(ctx, BigInt(id as Hex)) },
  { abi: 'function getMinDelay() view returns (uint256)', handler: async (ctx) => ctx.sload(TIMELOCK_SLOTS.minDelay) },
  {
    abi: 'function hashOperation(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt) pure returns (bytes32)',
    handler: async (ctx, [target, value, data, predecessor, salt]) =>
      toBytes32(hashOperation(ctx, target as Hex, value as bigint, data as Hex, predecessor as Hex, salt as Hex)),
  },
  {
    abi: 'function hashOperationBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) pure returns (bytes32)',
    handler: async (ctx, [targets, values, payloads, predecessor, salt]) =>
      toBytes32(hashOperationBatch(ctx, targets as Hex[], values as bigint[], payloads as Hex[], predecessor as Hex, salt as Hex)),
  },
  {
    abi: 'function schedule(address target, uint256 value, bytes data, bytes32 predecessor, bytes32 salt, uint256 delay)',
    handler: async (ctx, [target, value, data, predecessor, salt, delay]) => {
      await onlyRole(ctx, TIMELOCK_ROLES.PROPOSER_ROLE)
      const id = hashOperation(ctx, target as Hex, value as bigint, data as Hex, predecessor as Hex, salt as Hex)
      await schedule(ctx, id, [{ target: target as Hex, value: value as bigint, data: data as Hex }], predecessor as Hex, salt as Hex, delay as bigint)
    },
  },
  {
    abi: 'function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay)',
    handler: async (ctx, [targets, values, payloads, predecessor, salt, delay]) => {
      await onlyRole(ctx, TIMELOCK_ROLES.PROPOSER_ROLE)
      const calls = batch(ctx, targets as Hex[], values as bigint[], payloads as Hex[])
      const id = hashOperationBatch(ctx, targets as Hex[], values as bigint[], payloads as Hex[], predecessor as Hex, salt as Hex)
      await schedule(ctx, id, calls, predecessor as Hex, salt as Hex, delay as bigint)
    },
  },
  {
    abi: 'function cancel(bytes32 id)',
    handler: async (ctx, [idHex]) => {
      await onlyRole(ctx, TIMELOCK_ROLES.CANCELLER_ROLE)
      const id = BigInt(idHex as Hex)
      if (!(await is(ctx, id, ...PENDING))) ctx.revert('TimelockUnexpectedOperationState', [idHex, toBytes32(stateBitmap(...PENDING))])
      await setTimestamp(ctx, id, 0n)
      ctx.emit('Cancelled', { id: idHex })
    },
  },
  {
    abi: 'function execute(address target, uint256 value, bytes payload, bytes32 predecessor, bytes32 salt) payable',
    handler: async (ctx, [target, value, payload, predecessor, salt]) => {
      await onlyExecutor(ctx)
      const id = hashOperation(ctx, target as Hex, value as bigint, payload as Hex, predecessor as Hex, salt as Hex)
      await execute(ctx, id, [{ target: target as Hex, value: value as bigint, data: payload as Hex }], predecessor as Hex)
    },
  },
  {
    abi: 'function executeBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) payable',
    handler: async (ctx, [targets, values, payloads, predecessor, salt]) => {
      await onlyExecutor(ctx)
      const calls = batch(ctx, targets as Hex[], values as bigint[], payloads as Hex[])
      const id = hashOperationBatch(ctx, targets as Hex[], values as bigint[], payloads as Hex[], predecessor as Hex, salt as Hex)
      await execute(ctx, id, calls, predecessor as Hex)
    },
  },
  {
    abi: 'function updateDelay(uint256 newDelay)',
    handler: async (ctx, [newDelay]) => {
      if (ctx.caller !== ctx.self) ctx.revert('TimelockUnauthorizedCaller', [ctx.caller])
      ctx.emit('MinDelayChange', { oldDuration: await ctx.sload(TIMELOCK_SLOTS.minDelay), newDuration: newDelay })
      await ctx.sstore(TIMELOCK_SLOTS.minDelay, newDelay as bigint)
    },
  },
]
