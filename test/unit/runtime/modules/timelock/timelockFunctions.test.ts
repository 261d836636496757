// TimelockController's rules on the timelock module, driven as the governor (its proposer,
// executor and canceller) and as outsiders: delays, operation states, predecessors, failing
// calls, self-only delay and role changes. Every revert decodes by name with nothing changed.
import t from 'tap'
import { encodeAbiParameters, encodeFunctionData, getAddress, keccak256, toHex } from 'viem'
import type { Hex } from '../../../../../genesis/index.ts'
import { governorAbi, timelockAbi } from '../../../../../runtime/index.ts'
import { ONE_OPEN } from '../../../../fixtures/chain/testSpec.ts'
import { GOVERNOR, TIMELOCK, createGovernanceHarness } from '../../../../fixtures/modules/governanceHarness.ts'

const ZERO = toHex(0n, { size: 32 })
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'
const PROPOSER_ROLE = keccak256(toHex('PROPOSER_ROLE'))
const EXECUTOR_ROLE = keccak256(toHex('EXECUTOR_ROLE'))
const CANCELLER_ROLE = keccak256(toHex('CANCELLER_ROLE'))
/** OperationState bits of TimelockUnexpectedOperationState */
const UNSET = toHex(1n, { size: 32 })
const READY = toHex(4n, { size: 32 })
const PENDING = toHex(6n, { size: 32 })

type Op = { target: Hex; value: bigint; data: Hex; predecessor: Hex; salt: Hex }

const args = (op: Op) => [op.target, op.value, op.data, op.predecessor, op.salt] as const
const idOf = (op: Op): Hex =>
  keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }, { type: 'bytes' }, { type: 'bytes32' }, { type: 'bytes32' }], args(op)))
const timelockCall = (functionName: string, a: readonly unknown[]): Hex => encodeFunctionData({ abi: timelockAbi, functionName, args: a } as never)

async function setup() {
  const h = await createGovernanceHarness()
  const alice = h.accounts[0]!.hex
  const asGovernor = { from: GOVERNOR }
  const schedule = (op: Op, delay = 500n) => h.send(TIMELOCK, 'schedule', [...args(op), delay], asGovernor)
  const execute = (op: Op, from: Hex = GOVERNOR) => h.send(TIMELOCK, 'execute', args(op), { from })
  const opState = (op: Op) => h.read(TIMELOCK, 'getOperationState', [idOf(op)])
  /** schedule `op`, wait out the delay and execute it */
  const run = async (op: Op) => {
    await schedule(op)
    h.advance(500n)
    return execute(op)
  }
  return { h, alice, asGovernor, schedule, execute, opState, run }
}

t.test('schedule, wait, execute a call with value: states, timestamps, events', async (t) => {
  const { h, alice, schedule, execute, opState } = await setup()
  const op: Op = { target: alice, value: 3n * ONE_OPEN, data: '0x', predecessor: ZERO, salt: toHex(7n, { size: 32 }) }
  const id = idOf(op)
  t.equal(await h.read(TIMELOCK, 'hashOperation', args(op)), id, 'hashOperation is keccak(abi.encode(...))')
  t.equal(await opState(op), 0)
  const s = await schedule(op)
  t.same(
    s.events.map((e) => [e.eventName, e.args]),
    [
      ['CallScheduled', { id, index: 0n, target: getAddress(alice), value: 3n * ONE_OPEN, data: '0x', predecessor: ZERO, delay: 500n }],
      ['CallSalt', { id, salt: op.salt }],
    ],
  )
  const readyAt = h.time + 500n
  t.equal(await h.read(TIMELOCK, 'getTimestamp', [id]), readyAt)
  t.equal(await opState(op), 1, 'Waiting')
  t.same(
    [await h.read(TIMELOCK, 'isOperation', [id]), await h.read(TIMELOCK, 'isOperationPending', [id]), await h.read(TIMELOCK, 'isOperationReady', [id])],
    [true, true, false],
  )
  h.setTime(readyAt - 1n)
  await h.expectRevert(t, TIMELOCK, 'execute', args(op), 'TimelockUnexpectedOperationState', [id, READY], { from: GOVERNOR })
  h.setTime(readyAt)
  t.equal(await opState(op), 2, 'Ready')
  await h.expectRevert(t, TIMELOCK, 'execute', args(op), 'AccessControlUnauthorizedAccount', [getAddress(alice), EXECUTOR_ROLE], { from: alice })
  const before = await h.balance(alice)
  const x = await execute(op)
  t.same(x.events, [{ address: TIMELOCK, eventName: 'CallExecuted', args: { id, index: 0n, target: getAddress(alice), value: 3n * ONE_OPEN, data: '0x' } }])
  t.equal(await h.balance(alice), before + 3n * ONE_OPEN)
  t.equal(await opState(op), 3, 'Done')
  t.equal(await h.read(TIMELOCK, 'getTimestamp', [id]), 1n)
  t.equal(await h.read(TIMELOCK, 'isOperationDone', [id]), true)
  await h.expectRevert(t, TIMELOCK, 'execute', args(op), 'TimelockUnexpectedOperationState', [id, READY], { from: GOVERNOR })
  await h.expectRevert(t, TIMELOCK, 'schedule', [...args(op), 500n], 'TimelockUnexpectedOperationState', [id, UNSET], { from: GOVERNOR })
})

t.test('scheduling needs PROPOSER_ROLE, at least the minimum delay, a new id and equal lengths', async (t) => {
  const { h, alice, asGovernor, schedule } = await setup()
  const op: Op = { target: alice, value: 0n, data: '0x', predecessor: ZERO, salt: ZERO }
  await h.expectRevert(t, TIMELOCK, 'schedule', [...args(op), 500n], 'AccessControlUnauthorizedAccount', [getAddress(alice), PROPOSER_ROLE])
  await h.expectRevert(t, TIMELOCK, 'schedule', [...args(op), 499n], 'TimelockInsufficientDelay', [499n, 500n], asGovernor)
  const s = await schedule(op, 600n)
  t.same(
    s.events.map((e) => e.eventName),
    ['CallScheduled'],
    'no CallSalt for a zero salt',
  )
  await h.expectRevert(t, TIMELOCK, 'scheduleBatch', [[alice], [], ['0x'], ZERO, ZERO, 500n], 'TimelockInvalidOperationLength', [1n, 1n, 0n], asGovernor)
  await h.expectRevert(t, TIMELOCK, 'executeBatch', [[alice], [0n], [], ZERO, ZERO], 'TimelockInvalidOperationLength', [1n, 0n, 1n], asGovernor)
})

t.test('cancel needs CANCELLER_ROLE and a pending operation', async (t) => {
  const { h, alice, asGovernor, schedule } = await setup()
  const op: Op = { target: alice, value: 0n, data: '0x', predecessor: ZERO, salt: ZERO }
  const id = idOf(op)
  await h.expectRevert(t, TIMELOCK, 'cancel', [id], 'TimelockUnexpectedOperationState', [id, PENDING], asGovernor)
  await schedule(op)
  await h.expectRevert(t, TIMELOCK, 'cancel', [id], 'AccessControlUnauthorizedAccount', [getAddress(alice), CANCELLER_ROLE])
  const c = await h.send(TIMELOCK, 'cancel', [id], asGovernor)
  t.same(c.events, [{ address: TIMELOCK, eventName: 'Cancelled', args: { id } }])
  t.equal(await h.read(TIMELOCK, 'isOperation', [id]), false)
})

t.test('a predecessor must be done first', async (t) => {
  const { h, alice, schedule, execute, opState } = await setup()
  const first: Op = { target: alice, value: 1n, data: '0x', predecessor: ZERO, salt: ZERO }
  const second: Op = { ...first, value: 2n, predecessor: idOf(first) }
  await schedule(first)
  await schedule(second)
  h.advance(500n)
  await h.expectRevert(t, TIMELOCK, 'execute', args(second), 'TimelockUnexecutedPredecessor', [idOf(first)], { from: GOVERNOR })
  await execute(first)
  await execute(second)
  t.equal(await opState(second), 3)
})

t.test('a failing call reverts the operation: revert data bubbles, or FailedCall', async (t) => {
  const { h, schedule } = await setup()
  const castVote = encodeFunctionData({ abi: governorAbi, functionName: 'castVote', args: [999n, 1] })
  const bubbling: Op = { target: GOVERNOR, value: 0n, data: castVote, predecessor: ZERO, salt: ZERO }
  const tooRich: Op = { target: h.accounts[1]!.hex, value: 1_000_001n * ONE_OPEN, data: '0x', predecessor: ZERO, salt: ZERO }
  await schedule(bubbling)
  await schedule(tooRich)
  h.advance(500n)
  await h.expectRevert(t, TIMELOCK, 'execute', args(bubbling), 'GovernorNonexistentProposal', [999n], { from: GOVERNOR })
  await h.expectRevert(t, TIMELOCK, 'execute', args(tooRich), 'FailedCall', undefined, { from: GOVERNOR })
  t.equal(await h.read(TIMELOCK, 'isOperationReady', [idOf(bubbling)]), true, 'still ready: it can be retried')
})

t.test('updateDelay and role changes only by the timelock itself; an open EXECUTOR_ROLE', async (t) => {
  const { h, alice, asGovernor, run } = await setup()
  await h.expectRevert(t, TIMELOCK, 'updateDelay', [1n], 'TimelockUnauthorizedCaller', [getAddress(alice)])
  await h.expectRevert(t, TIMELOCK, 'updateDelay', [1n], 'TimelockUnauthorizedCaller', [getAddress(GOVERNOR)], asGovernor)
  await h.expectRevert(t, TIMELOCK, 'grantRole', [EXECUTOR_ROLE, alice], 'AccessControlUnauthorizedAccount', [getAddress(GOVERNOR), ZERO], asGovernor)
  await h.expectRevert(t, TIMELOCK, 'revokeRole', [PROPOSER_ROLE, GOVERNOR], 'AccessControlUnauthorizedAccount', [getAddress(alice), ZERO])
  await h.expectRevert(t, TIMELOCK, 'renounceRole', [CANCELLER_ROLE, GOVERNOR], 'AccessControlBadConfirmation', undefined)

  const self = (data: Hex, salt: bigint): Op => ({ target: TIMELOCK, value: 0n, data, predecessor: ZERO, salt: toHex(salt, { size: 32 }) })
  const delay = await run(self(timelockCall('updateDelay', [900n]), 1n))
  t.same(delay.events[0], { address: TIMELOCK, eventName: 'MinDelayChange', args: { oldDuration: 500n, newDuration: 900n } })
  t.equal(await h.read(TIMELOCK, 'getMinDelay'), 900n)

  const open = self(timelockCall('grantRole', [EXECUTOR_ROLE, ZERO_ADDRESS]), 2n)
  await h.send(TIMELOCK, 'schedule', [...args(open), 900n], asGovernor)
  h.advance(900n)
  const granted = await h.send(TIMELOCK, 'execute', args(open), asGovernor)
  t.same(granted.events[0], { address: TIMELOCK, eventName: 'RoleGranted', args: { role: EXECUTOR_ROLE, account: ZERO_ADDRESS, sender: getAddress(TIMELOCK) } })
  const anyone: Op = { target: alice, value: 0n, data: '0x', predecessor: ZERO, salt: toHex(3n, { size: 32 }) }
  await h.send(TIMELOCK, 'schedule', [...args(anyone), 900n], asGovernor)
  h.advance(900n)
  await h.send(TIMELOCK, 'execute', args(anyone), { from: alice })
  t.equal(await h.read(TIMELOCK, 'isOperationDone', [idOf(anyone)]), true, 'anyone executes once address(0) holds EXECUTOR_ROLE')

  const renounced = await h.send(TIMELOCK, 'renounceRole', [CANCELLER_ROLE, GOVERNOR], asGovernor)
  t.same(renounced.events[0]?.args, { role: CANCELLER_ROLE, account: getAddress(GOVERNOR), sender: getAddress(GOVERNOR) })
  t.equal(await h.read(TIMELOCK, 'hasRole', [CANCELLER_ROLE, GOVERNOR]), false)
})
