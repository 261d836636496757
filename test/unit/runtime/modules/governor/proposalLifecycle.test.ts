// Proposals end to end on a runtime VM: propose -> vote -> queue -> execute through the timelock,
// and each way a proposal can fail (defeated, no quorum, canceled, expired, below threshold,
// restricted proposer), every revert decoded by name with the state root unchanged.
import { createBlockFromRLP } from '@ethereumjs/block'
import { bytesToBigInt, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { type Abi, encodeAbiParameters, encodeFunctionData, getAddress, keccak256, parseAbiParameters, toHex } from 'viem'
import t from 'tap'
import type { Hex } from '../../../../../genesis/index.ts'
import { buildLinearBlock, chainParams, defaultLinearBuildOptions, executeBlock, governorAbi } from '../../../../../runtime/index.ts'
import { ONE_OPEN, type TestAccount, signed1559, testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import {
  GOVERNOR,
  STATE,
  TIMELOCK,
  VOTES,
  VOTES_ABI,
  createGovernanceChain,
  createGovernanceHarness,
  operations,
} from '../../../../fixtures/modules/governanceHarness.ts'
import type { GovernanceHarness, Proposal } from '../../../../fixtures/modules/governanceHarness.ts'

/** viem decodes addresses checksummed */
const expect = (address: Hex) => getAddress(address)

const AGAINST = 0
const FOR = 1
const ABSTAIN = 2

const setVotingPeriod = (period: number): Hex => encodeFunctionData({ abi: governorAbi, functionName: 'setVotingPeriod', args: [period] })

/** alice 40, bob 30, carol 20, dave 10 GOPEN votes: quorum (25 %) is 25. */
async function setup() {
  const h = await createGovernanceHarness()
  const [alice, bob, carol, dave] = h.accounts.map((a) => a.hex) as [Hex, Hex, Hex, Hex]
  await h.giveVotes(40n * ONE_OPEN, 30n * ONE_OPEN, 20n * ONE_OPEN, 10n * ONE_OPEN)
  return { h, alice, bob, carol, dave }
}

const signal = (description: string): Proposal => ({ targets: [TIMELOCK], values: [0n], calldatas: ['0x'], description })

async function vote(h: GovernanceHarness, id: bigint, votes: [Hex, number][]) {
  for (const [from, support] of votes) await h.send(GOVERNOR, 'castVote', [id, support], { from })
}

t.test('full lifecycle: a treasury payment and a settings change pass, queue and execute through the timelock', async (t) => {
  const { h, alice, bob, carol, dave } = await setup()
  const gas: Record<string, bigint> = {}
  const p: Proposal = {
    targets: [dave, GOVERNOR],
    values: [5n * ONE_OPEN, 0n],
    calldatas: ['0x', setVotingPeriod(2_000)],
    description: 'Pay dave 5 OPEN and lengthen voting',
  }
  const proposedAt = h.time
  const { id, outcome } = await h.propose(p, alice)
  gas.propose = outcome.gas
  t.equal(id, await h.read(GOVERNOR, 'hashProposal', operations(p)), 'the id is hashProposal')
  t.equal(id, await h.read(GOVERNOR, 'getProposalId', operations(p)))
  const created = outcome.events.find((e) => e.eventName === 'ProposalCreated')!
  t.same(created.args, {
    proposalId: id,
    proposer: expect(alice),
    targets: p.targets.map(expect),
    values: p.values,
    signatures: ['', ''],
    calldatas: p.calldatas,
    voteStart: proposedAt + 100n,
    voteEnd: proposedAt + 1_100n,
    description: p.description,
  })
  t.equal(await h.read(GOVERNOR, 'proposalSnapshot', [id]), proposedAt + 100n)
  t.equal(await h.read(GOVERNOR, 'proposalDeadline', [id]), proposedAt + 1_100n)
  t.equal((await h.read(GOVERNOR, 'proposalProposer', [id])).toLowerCase(), alice)
  t.equal(await h.read(GOVERNOR, 'proposalNeedsQueuing', [id]), true)
  t.equal(await h.read(GOVERNOR, 'proposalCount'), 1n)
  t.same(await h.read(GOVERNOR, 'proposalDetails', [id]), [p.targets.map(expect), p.values, p.calldatas, keccak256(toHex(p.description))])
  t.same(await h.read(GOVERNOR, 'proposalDetailsAt', [0n]), [id, p.targets.map(expect), p.values, p.calldatas, keccak256(toHex(p.description))])

  h.setTime(proposedAt + 100n)
  t.equal(await h.state(id), STATE.Pending, 'Pending up to and including the snapshot')
  await h.expectRevert(t, GOVERNOR, 'castVote', [id, FOR], 'GovernorUnexpectedProposalState', [id, STATE.Pending, toHex(1n << 1n, { size: 32 })], {
    from: alice,
  })
  h.advance(1n)
  t.equal(await h.state(id), STATE.Active)
  const cast = await h.send(GOVERNOR, 'castVote', [id, FOR], { from: alice })
  gas.castVote = cast.gas
  t.equal(cast.result, 40n * ONE_OPEN, 'castVote returns the weight')
  t.same(cast.events[0]?.args, { voter: expect(alice), proposalId: id, support: FOR, weight: 40n * ONE_OPEN, reason: '' })
  await vote(h, id, [
    [bob, AGAINST],
    [carol, ABSTAIN],
  ])
  t.same(await h.read(GOVERNOR, 'proposalVotes', [id]), [30n * ONE_OPEN, 40n * ONE_OPEN, 20n * ONE_OPEN])

  await h.toVoteEnd(id)
  t.equal(await h.state(id), STATE.Succeeded)
  const queued = await h.send(GOVERNOR, 'queue', operations(p), { from: bob })
  gas.queue = queued.gas
  const eta = h.time + 500n
  t.same(queued.events.at(-1), { address: GOVERNOR, eventName: 'ProposalQueued', args: { proposalId: id, etaSeconds: eta } })
  t.same(
    queued.events.filter((e) => e.eventName === 'CallScheduled').map((e) => e.address),
    [TIMELOCK, TIMELOCK],
    'the timelock logs one CallScheduled per call',
  )
  t.equal(await h.read(GOVERNOR, 'proposalEta', [id]), eta)
  t.equal(await h.state(id), STATE.Queued)

  h.setTime(eta - 1n)
  await h.expectRevert(t, GOVERNOR, 'execute', operations(p), 'TimelockUnexpectedOperationState', undefined, { from: carol })
  h.setTime(eta)
  const treasury = await h.balance(TIMELOCK)
  const daveBefore = await h.balance(dave)
  const executed = await h.send(GOVERNOR, 'execute', operations(p), { from: carol })
  gas.execute = executed.gas
  t.equal(await h.balance(dave), daveBefore + 5n * ONE_OPEN, 'the payment came from the treasury')
  t.equal(await h.balance(TIMELOCK), treasury - 5n * ONE_OPEN)
  t.equal(await h.read(GOVERNOR, 'votingPeriod'), 2_000n, 'the setting changed through onlyGovernance')
  t.same(
    executed.events.map((e) => `${e.address === GOVERNOR ? 'governor' : 'timelock'}.${e.eventName}`),
    ['timelock.CallExecuted', 'governor.VotingPeriodSet', 'timelock.CallExecuted', 'governor.ProposalExecuted'],
  )
  t.equal(await h.state(id), STATE.Executed)
  await h.expectRevert(t, GOVERNOR, 'execute', operations(p), 'GovernorUnexpectedProposalState', [id, STATE.Executed, toHex(1n << 5n, { size: 32 })])
  t.comment(`gas: ${JSON.stringify(Object.fromEntries(Object.entries(gas).map(([k, v]) => [k, Number(v)])))}`)
})

t.test('Defeated when Against wins, and when For and Abstain miss quorum', async (t) => {
  const { h, alice, bob, carol, dave } = await setup()
  const lost = (await h.propose(signal('against wins'), alice)).id
  const thin = (await h.propose(signal('no quorum'), bob)).id
  await h.toVoting(lost)
  await vote(h, lost, [
    [alice, FOR],
    [bob, AGAINST],
    [carol, AGAINST],
  ])
  await vote(h, thin, [[dave, FOR]])
  await h.toVoteEnd(thin)
  t.equal(await h.state(lost), STATE.Defeated, 'For 40 < Against 50')
  t.equal(await h.state(thin), STATE.Defeated, 'For 10 < quorum 25')
  t.equal(await h.read(GOVERNOR, 'quorum', [await h.read(GOVERNOR, 'proposalSnapshot', [thin])]), 25n * ONE_OPEN)
  await h.expectRevert(t, GOVERNOR, 'queue', operations(signal('no quorum')), 'GovernorUnexpectedProposalState', [
    thin,
    STATE.Defeated,
    toHex(1n << 4n, { size: 32 }),
  ])
})

t.test('the proposer cancels while Pending; not after, and nobody else', async (t) => {
  const { h, alice, bob } = await setup()
  const p = signal('cancel me')
  const { id } = await h.propose(p, alice)
  await h.expectRevert(t, GOVERNOR, 'cancel', operations(p), 'GovernorUnableToCancel', [id, expect(bob)], { from: bob })
  const canceled = await h.send(GOVERNOR, 'cancel', operations(p), { from: alice })
  t.same(canceled.events, [{ address: GOVERNOR, eventName: 'ProposalCanceled', args: { proposalId: id } }])
  t.equal(await h.state(id), STATE.Canceled)
  await h.expectRevert(t, GOVERNOR, 'cancel', operations(p), 'GovernorUnableToCancel', [id, expect(alice)], { from: alice })
  await h.expectRevert(t, GOVERNOR, 'propose', [p.targets, p.values, p.calldatas, p.description], 'GovernorUnexpectedProposalState', [
    id,
    STATE.Canceled,
    toHex(0n, { size: 32 }),
  ])

  const later = signal('too late to cancel')
  const active = (await h.propose(later, alice)).id
  await h.toVoting(active)
  await h.expectRevert(t, GOVERNOR, 'cancel', [active], 'GovernorUnableToCancel', [active, expect(alice)], { from: alice })
  await h.expectRevert(t, GOVERNOR, 'cancel', [123n], 'GovernorNonexistentProposal', [123n])
})

t.test('a queued proposal expires after eta + gracePeriod; GovernorStorage queue/execute by id', async (t) => {
  const { h } = await setup()
  const id = await h.passAndQueue(signal('expire me'))
  const eta = (await h.read(GOVERNOR, 'proposalEta', [id])) as bigint
  h.setTime(eta + 2_000n)
  t.equal(await h.state(id), STATE.Queued, 'still executable at eta + gracePeriod')
  h.advance(1n)
  t.equal(await h.state(id), STATE.Expired)
  await h.expectRevert(t, GOVERNOR, 'execute', [id], 'GovernorUnexpectedProposalState', [id, STATE.Expired, toHex(1n << 5n, { size: 32 })])
  await h.expectRevert(t, GOVERNOR, 'execute', [999n], 'GovernorNonexistentProposal', [999n])

  const second = await h.passAndQueue(signal('execute by id'))
  await h.send(GOVERNOR, 'execute', [second])
  t.equal(await h.state(second), STATE.Executed)
  await h.expectRevert(t, GOVERNOR, 'proposalDetailsAt', [2n], 'Panic')
})

t.test('proposing: threshold at clock - 1, the #proposer= suffix, lengths, unknown ids', async (t) => {
  const { h, alice, bob, dave } = await setup()
  await h.setVotes(dave, 9n * ONE_OPEN)
  await h.propose(signal('the threshold reads the previous second, when dave still had 10'), dave)
  h.advance(1n)
  await h.expectRevert(
    t,
    GOVERNOR,
    'propose',
    [[TIMELOCK], [0n], ['0x'], 'below threshold'],
    'GovernorInsufficientProposerVotes',
    [expect(dave), 9n * ONE_OPEN, 10n * ONE_OPEN],
    { from: dave },
  )

  const bobOnly = `bob's idea #proposer=${bob.slice(0, 22)}${bob.slice(22).toUpperCase()}`
  await h.expectRevert(t, GOVERNOR, 'propose', [[TIMELOCK], [0n], ['0x'], bobOnly], 'GovernorRestrictedProposer', [expect(alice)], { from: alice })
  await h.propose(signal(bobOnly), bob)
  await h.propose(signal(`not an address #proposer=0x${'g'.repeat(40)}`), alice)
  await h.propose(signal(`no prefix #proposer=${'0'.repeat(42)}`), alice)

  await h.expectRevert(t, GOVERNOR, 'propose', [[TIMELOCK], [], ['0x'], 'x'], 'GovernorInvalidProposalLength', [1n, 1n, 0n])
  await h.expectRevert(t, GOVERNOR, 'propose', [[], [], [], 'x'], 'GovernorInvalidProposalLength', [0n, 0n, 0n])
  await h.expectRevert(t, GOVERNOR, 'state', [7n], 'GovernorNonexistentProposal', [7n])
  t.equal(await h.read(GOVERNOR, 'proposalCount'), 4n)
})

t.test('on a chain: the lifecycle as signed txs in built blocks, replayed by a validator to the same roots', async (t) => {
  const accounts = testAccounts(2)
  const [alice, bob] = accounts as [TestAccount, TestAccount]
  const { spec, runtime, reader, genesis } = await createGovernanceChain(accounts)
  const p: Proposal = { targets: [bob.hex], values: [ONE_OPEN], calldatas: ['0x'], description: 'pay bob, on chain' }
  const id = BigInt(keccak256(encodeAbiParameters(parseAbiParameters('address[], uint256[], bytes[], bytes32'), operations(p) as never)))
  const nonces = new Map<string, bigint>()
  const tx = (from: TestAccount, to: Hex, abi: Abi, functionName: string, args: readonly unknown[]) => {
    const nonce = nonces.get(from.hex) ?? 0n
    nonces.set(from.hex, nonce + 1n)
    const data = hexToBytes(encodeFunctionData({ abi, functionName, args } as never))
    return signed1559(runtime.common, from, { nonce, to: createAddressFromString(to), data, gasLimit: 1_000_000n })
  }
  const snapshot = genesis.header.timestamp + 2n + 100n
  const plan: [bigint, ReturnType<typeof tx>[]][] = [
    [genesis.header.timestamp + 1n, [tx(alice, VOTES, VOTES_ABI, 'setVotes', [alice.hex, 40n * ONE_OPEN])]],
    [genesis.header.timestamp + 2n, [tx(alice, GOVERNOR, governorAbi, 'propose', [p.targets, p.values, p.calldatas, p.description])]],
    [snapshot + 1n, [tx(alice, GOVERNOR, governorAbi, 'castVote', [id, 1])]],
    [snapshot + 1_001n, [tx(bob, GOVERNOR, governorAbi, 'queue', operations(p))]],
    [snapshot + 1_501n, [tx(bob, GOVERNOR, governorAbi, 'execute', operations(p))]],
  ]
  const blocks = []
  let parent = genesis
  for (const [timestamp, txs] of plan) {
    const built = await buildLinearBlock(runtime, parent.header, txs, { ...defaultLinearBuildOptions, timestamp })
    t.same(
      built.receipts.map((r) => r.status),
      [1],
      `block ${built.block.header.number}: the tx succeeded`,
    )
    reader.add(built.block.header)
    blocks.push(built.block)
    parent = built.block
  }
  const governorState = await runtime.vm.evm.runCall({
    block: parent,
    to: createAddressFromString(GOVERNOR),
    data: hexToBytes(encodeFunctionData({ abi: governorAbi, functionName: 'state', args: [id] })),
  })
  t.equal(bytesToBigInt(governorState.execResult.returnValue), BigInt(STATE.Executed))

  const validator = await createGovernanceChain(accounts)
  for (const block of blocks) {
    await executeBlock(validator.runtime, createBlockFromRLP(block.serialize(), { common: validator.runtime.common, params: chainParams(spec) }))
    validator.reader.add(block.header)
    t.same(await validator.runtime.stateManager.getStateRoot(), block.header.stateRoot, `block ${block.header.number}: same state root`)
  }
})
