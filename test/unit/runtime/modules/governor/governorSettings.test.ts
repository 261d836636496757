// The governance-only setters and relay: refused when called directly (by anyone, the timelock
// included, outside a proposal's execution), applied with their events by a passed proposal.
import t from 'tap'
import { encodeFunctionData, getAddress, toHex } from 'viem'
import type { Hex } from '../../../../../genesis/index.ts'
import { governorAbi, timelockAbi } from '../../../../../runtime/index.ts'
import { ONE_OPEN } from '../../../../fixtures/chain/testSpec.ts'
import { GOVERNOR, TIMELOCK, createGovernanceHarness } from '../../../../fixtures/modules/governanceHarness.ts'
import type { Proposal } from '../../../../fixtures/modules/governanceHarness.ts'

const governorCall = (functionName: string, args: readonly unknown[]): Hex => encodeFunctionData({ abi: governorAbi, functionName, args } as never)

const SETTERS: [string, readonly unknown[]][] = [
  ['setVotingDelay', [7]],
  ['setVotingPeriod', [7]],
  ['setProposalThreshold', [7n]],
  ['updateQuorumNumerator', [7n]],
  ['setLateQuorumVoteExtension', [7]],
  ['relay', [TIMELOCK, 0n, '0x']],
]

async function setup() {
  const h = await createGovernanceHarness()
  await h.giveVotes(100n * ONE_OPEN)
  return { h, alice: h.accounts[0]!.hex }
}

const governance = (description: string, calls: [string, readonly unknown[]][]): Proposal => ({
  targets: calls.map(() => GOVERNOR),
  values: calls.map(() => 0n),
  calldatas: calls.map(([name, args]) => governorCall(name, args)),
  description,
})

t.test('every governance-only function reverts when called directly', async (t) => {
  const { h, alice } = await setup()
  for (const [name, args] of SETTERS) {
    await h.expectRevert(t, GOVERNOR, name, args, 'GovernorOnlyExecutor', [getAddress(alice)])
    // the timelock itself, outside a proposal's execution, has no whitelisted call
    await h.expectRevert(t, GOVERNOR, name, args, 'Panic', [0x31n], { from: TIMELOCK })
  }
})

t.test('a passed proposal changes every setting, with events; quorum numerators are checkpointed', async (t) => {
  const { h } = await setup()
  const before = h.time
  const p = governance('retune', [
    ['setVotingDelay', [50]],
    ['setProposalThreshold', [5n * ONE_OPEN]],
    ['updateQuorumNumerator', [5_000n]],
    ['setLateQuorumVoteExtension', [600]],
  ])
  const id = await h.passAndQueue(p)
  const r = await h.send(GOVERNOR, 'execute', [id])
  t.same(
    r.events.filter((e) => e.address === GOVERNOR).map((e) => [e.eventName, e.args]),
    [
      ['VotingDelaySet', { oldVotingDelay: 100n, newVotingDelay: 50n }],
      ['ProposalThresholdSet', { oldProposalThreshold: 10n * ONE_OPEN, newProposalThreshold: 5n * ONE_OPEN }],
      ['QuorumNumeratorUpdated', { oldQuorumNumerator: 2_500n, newQuorumNumerator: 5_000n }],
      ['LateQuorumVoteExtensionSet', { oldVoteExtension: 300n, newVoteExtension: 600n }],
      ['ProposalExecuted', { proposalId: id }],
    ],
  )
  t.equal(await h.read(GOVERNOR, 'votingDelay'), 50n)
  t.equal(await h.read(GOVERNOR, 'votingPeriod'), 1_000n, 'untouched fields of the settings word stay')
  t.equal(await h.read(GOVERNOR, 'proposalThreshold'), 5n * ONE_OPEN)
  t.equal(await h.read(GOVERNOR, 'lateQuorumVoteExtension'), 600)
  t.equal(await h.read(GOVERNOR, 'quorumNumerator'), 5_000n)
  t.equal(await h.read(GOVERNOR, 'quorumNumerator', [before]), 2_500n, 'the numerator in force at an earlier time')
  t.equal(await h.read(GOVERNOR, 'quorumNumerator', [h.time]), 5_000n)
  t.equal(await h.read(GOVERNOR, 'quorumNumerator', [h.spec.timestamp - 1n]), 0n, 'none before genesis')
  h.advance(1n)
  t.equal(await h.read(GOVERNOR, 'quorum', [h.time - 1n]), 50n * ONE_OPEN)
})

t.test('a setter that refuses its value fails the whole execution', async (t) => {
  const { h } = await setup()
  const cases: [string, readonly unknown[], string][] = [
    ['setVotingPeriod', [0], 'GovernorInvalidVotingPeriod'],
    ['updateQuorumNumerator', [10_001n], 'GovernorInvalidQuorumFraction'],
    ['setLateQuorumVoteExtension', [1_001], 'GovernorPreventLateQuorumVoteExtensionTooLarge'],
  ]
  for (const [name, args, error] of cases) {
    const id = await h.passAndQueue(governance(`bad ${name}`, [[name, args]]))
    await h.expectRevert(t, GOVERNOR, 'execute', [id], error)
  }
})

t.test('relay and the timelock delay, through a proposal', async (t) => {
  const { h } = await setup()
  const updateDelay = encodeFunctionData({ abi: timelockAbi, functionName: 'updateDelay', args: [42n] })
  const relayed = governorCall('relay', [TIMELOCK, 0n, toHex('')])
  const id = await h.passAndQueue({ targets: [TIMELOCK, GOVERNOR], values: [0n, 0n], calldatas: [updateDelay, relayed], description: 'delay 42' })
  const r = await h.send(GOVERNOR, 'execute', [id])
  t.same(
    r.events.find((e) => e.eventName === 'MinDelayChange'),
    { address: TIMELOCK, eventName: 'MinDelayChange', args: { oldDuration: 500n, newDuration: 42n } },
  )
  t.equal(await h.read(TIMELOCK, 'getMinDelay'), 42n)
})
