// Vesting driven by governance end to end with viem against a spawned --dev node: a passed
// proposal has the timelock fund a schedule from the ecosystem treasury; before the cliff nothing
// releases; the beneficiary's locked OPEN votes once delegated, without wrapping; a proposal to
// revoke a non-revocable genesis schedule fails at execution with the vesting error bubbled up and
// changes nothing; past the cliff a release pays exactly what has vested and the votes follow.
import t from 'tap'
import { encodeFunctionData, parseEther, parseEventLogs, stringToHex } from 'viem'
import type { Abi, Hex } from 'viem'
import { MODULE_ADDRESSES, gopenAbi, governorAbi, vestingAbi } from '../../../runtime/index.ts'
import { type DevWallet, type Proposal, createGovernanceClient } from './governanceClient.ts'
import { startDevNode } from './nodeProcess.ts'

// no interval blocks: each block holds what the test sent
const node = await startDevNode(['--block.time', '3600'])
t.teardown(() => node.stop())
const g = createGovernanceClient(node)
const { publicClient } = g
const [alice, bob, carol] = [1, 2, 3].map(g.wallet) as [DevWallet, DevWallet, DevWallet]
const AMOUNT = parseEther('3000')
const CLIFF = 900n
const DURATION = 1_800n
const vesting = <T>(functionName: string, args: readonly unknown[] = []) => g.read<T>(MODULE_ADDRESSES.vesting, vestingAbi as Abi, functionName, args)
const balance = (address: Hex, blockNumber?: bigint) => publicClient.getBalance({ address, blockNumber })

await g.mine() // a first block
await g.releaseGenesisVotes(carol)
await g.wrapAndDelegate(alice, parseEther('1000'))
await g.mine()
const start = await g.now()
const schedule: Proposal = {
  targets: [MODULE_ADDRESSES.vesting],
  values: [AMOUNT],
  calldatas: [
    encodeFunctionData({
      abi: vestingAbi,
      functionName: 'createSchedule',
      args: [bob.account.address, start, start + CLIFF, DURATION, true, stringToHex('grants', { size: 32 })],
    }),
  ],
  description: 'Grant: 3000 OPEN to bob from the ecosystem treasury, 15-minute cliff, 30 minutes linear',
}
let id = 0n

t.test('a passed proposal has the timelock fund a revocable schedule from the ecosystem treasury', async (t) => {
  const treasury = await balance(MODULE_ADDRESSES.timelock)
  const locked = await balance(MODULE_ADDRESSES.vesting)
  id = await vesting<bigint>('scheduleCount')
  t.equal(id, 3n, 'after the three genesis schedules')
  await g.passToQueue(alice, [schedule])
  const executed = await g.execute(alice, schedule)
  const executedAt = (await publicClient.getBlock({ blockNumber: executed.blockNumber })).timestamp
  t.ok(executedAt < start + CLIFF, `executed ${executedAt - start} s after the start, before the cliff`)
  const [created] = parseEventLogs({ abi: vestingAbi, logs: executed.logs, eventName: 'ScheduleCreated' })
  t.same(created?.args, {
    id,
    beneficiary: bob.account.address,
    bucket: stringToHex('grants', { size: 32 }),
    amount: AMOUNT,
    start,
    cliff: start + CLIFF,
    duration: DURATION,
    revocable: true,
  })
  t.equal(await balance(MODULE_ADDRESSES.timelock), treasury - AMOUNT, 'the treasury paid the amount')
  t.equal(await balance(MODULE_ADDRESSES.vesting), locked + AMOUNT, 'the vesting module holds it')
  t.equal(await vesting<bigint>('lockedOf', [bob.account.address]), AMOUNT)
})

t.test("before the cliff release reverts VestingNothingToRelease; the beneficiary's locked OPEN votes once delegated, without wrapping", async (t) => {
  t.equal(await vesting<bigint>('releasable', [id]), 0n)
  const r = await g.revertOf(carol.writeContract({ address: MODULE_ADDRESSES.vesting, abi: vestingAbi, functionName: 'release', args: [id] }))
  t.same(r, { errorName: 'VestingNothingToRelease', args: [] })
  t.equal(await g.gopen<bigint>('balanceOf', [bob.account.address]), 0n, 'bob wrapped nothing')
  t.equal(await g.gopen<bigint>('lockedVotingUnitsOf', [bob.account.address]), AMOUNT, 'his locked OPEN are voting units')
  t.equal(await g.gopen<bigint>('getVotes', [bob.account.address]), 0n, 'not delegated yet')
  await g.write(bob, { address: MODULE_ADDRESSES.gopen, abi: gopenAbi as Abi, functionName: 'delegate', args: [bob.account.address] })
  t.equal(await g.gopen<bigint>('getVotes', [bob.account.address]), AMOUNT, 'getVotes = the locked amount')
})

t.test('a proposal to revoke a non-revocable genesis schedule: execute reverts VestingNotRevocable through the timelock, nothing changes', async (t) => {
  const revoke: Proposal = {
    targets: [MODULE_ADDRESSES.vesting],
    values: [0n],
    calldatas: [encodeFunctionData({ abi: vestingAbi, functionName: 'revoke', args: [0n] })],
    description: 'Revoke the ecosystem schedule',
  }
  await g.mine() // bob's delegation counts from the next second
  const { id: proposalId } = await g.propose(alice, revoke)
  await g.travelPast(await g.governor<bigint>('proposalSnapshot', [proposalId]))
  t.equal(await g.vote(bob, proposalId, 1), AMOUNT, 'bob votes with his locked OPEN')
  await g.travelPast(await g.governor<bigint>('proposalDeadline', [proposalId]))
  t.equal(await g.state(proposalId), 'Succeeded')
  await g.queue(alice, revoke)
  await g.travelPast(await g.governor<bigint>('proposalEta', [proposalId]))
  const genesis = await vesting<readonly unknown[]>('getSchedule', [0n])
  t.equal(genesis[6], false, 'schedule 0 is not revocable')
  const treasury = await balance(MODULE_ADDRESSES.timelock)
  const locked = await balance(MODULE_ADDRESSES.vesting)
  const r = await g.revertOf(alice.writeContract({ address: MODULE_ADDRESSES.governor, abi: governorAbi, functionName: 'execute', args: [proposalId] }))
  t.same(r, { errorName: 'VestingNotRevocable', args: [0n] }, "the callee's error, decoded")
  // sent anyway (a gas limit skips the estimate): mined as a reverted tx
  const hash = await alice.writeContract({ address: MODULE_ADDRESSES.governor, abi: governorAbi, functionName: 'execute', args: [proposalId], gas: 1_000_000n })
  t.equal((await publicClient.waitForTransactionReceipt({ hash })).status, 'reverted')
  t.equal(await g.state(proposalId), 'Queued', 'still queued')
  t.same(await vesting<readonly unknown[]>('getSchedule', [0n]), genesis, 'schedule 0 unchanged')
  t.equal(await balance(MODULE_ADDRESSES.timelock), treasury, 'treasury unchanged')
  t.equal(await balance(MODULE_ADDRESSES.vesting), locked, 'vesting balance unchanged')
})

t.test('past the cliff a release pays the beneficiary what has vested, and his votes drop by as much', async (t) => {
  // the release block at an exact time past the cliff (evm_setNextBlockTimestamp), so what has
  // vested is known before: amount x (t - start) / duration
  const at = (await g.now()) > start + CLIFF ? (await g.now()) + 30n : start + CLIFF + 30n
  const vested = await vesting<bigint>('vestedAmount', [id, at])
  t.equal(vested, (AMOUNT * (at - start)) / DURATION)
  t.ok(vested > 0n && vested < AMOUNT, 'part of the schedule')
  await g.testClient.setNextBlockTimestamp({ timestamp: at })
  // carol releases (anyone may): bob's balance moves by the payout alone
  const receipt = await g.write(carol, { address: MODULE_ADDRESSES.vesting, abi: vestingAbi as Abi, functionName: 'release', args: [id] })
  t.equal((await publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp, at)
  const [released] = parseEventLogs({ abi: vestingAbi, logs: receipt.logs, eventName: 'Released' })
  t.same(released?.args, { id, beneficiary: bob.account.address, amount: vested })
  const [moved] = parseEventLogs({ abi: gopenAbi, logs: receipt.logs, eventName: 'DelegateVotesChanged' })
  t.same(
    [moved?.address, moved?.args],
    [MODULE_ADDRESSES.gopen, { delegate: bob.account.address, previousVotes: AMOUNT, newVotes: AMOUNT - vested }],
    "GOPEN logs the delegate's new votes at its own address",
  )
  const n = receipt.blockNumber
  t.equal((await balance(bob.account.address, n)) - (await balance(bob.account.address, n - 1n)), vested, 'bob received the releasable amount')
  t.equal(await vesting<bigint>('releasable', [id]), 0n)
  t.equal(await vesting<bigint>('lockedOf', [bob.account.address]), AMOUNT - vested)
  t.equal(await g.gopen<bigint>('getVotes', [bob.account.address]), AMOUNT - vested, 'his votes dropped by the released amount')
})
