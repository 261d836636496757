// Voting on the governor module: one vote per account, the support values, reasons and params,
// EIP-712 ballots signed with viem, and the late-quorum extension of the deadline.
import { bytesToHex } from '@ethereumjs/util'
import t from 'tap'
import { getAddress, keccak256, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { Hex } from '../../../../../genesis/index.ts'
import { ONE_OPEN } from '../../../../fixtures/chain/testSpec.ts'
import { GOVERNOR, STATE, TIMELOCK, createGovernanceHarness } from '../../../../fixtures/modules/governanceHarness.ts'

const FOR = 1
const ACTIVE_ONLY = toHex(1n << 1n, { size: 32 })

/** alice 40, bob 30, carol 20, dave 10 votes; one Active proposal by alice. */
async function setup() {
  const h = await createGovernanceHarness()
  const [alice, bob, carol, dave] = h.accounts.map((a) => a.hex) as [Hex, Hex, Hex, Hex]
  await h.giveVotes(40n * ONE_OPEN, 30n * ONE_OPEN, 20n * ONE_OPEN, 10n * ONE_OPEN)
  const { id } = await h.propose({ targets: [TIMELOCK], values: [0n], calldatas: ['0x'], description: 'a vote' }, alice)
  await h.toVoting(id)
  return { h, id, alice, bob, carol, dave }
}

const domain = { name: 'OpenLedgerGovernor', version: '1', chainId: 1337, verifyingContract: GOVERNOR } as const
const BALLOT = {
  Ballot: [
    { name: 'proposalId', type: 'uint256' },
    { name: 'support', type: 'uint8' },
    { name: 'voter', type: 'address' },
    { name: 'nonce', type: 'uint256' },
  ],
} as const
const EXTENDED_BALLOT = {
  ExtendedBallot: [...BALLOT.Ballot, { name: 'reason', type: 'string' }, { name: 'params', type: 'bytes' }],
} as const

t.test('one vote per account, support 0..2 only, only while Active', async (t) => {
  const { h, id, alice, bob } = await setup()
  await h.send(GOVERNOR, 'castVote', [id, FOR], { from: alice })
  t.equal(await h.read(GOVERNOR, 'hasVoted', [id, alice]), true)
  t.equal(await h.read(GOVERNOR, 'hasVoted', [id, bob]), false)
  await h.expectRevert(t, GOVERNOR, 'castVote', [id, 0], 'GovernorAlreadyCastVote', [getAddress(alice)], { from: alice })
  await h.expectRevert(t, GOVERNOR, 'castVote', [id, 3], 'GovernorInvalidVoteType', undefined, { from: bob })
  await h.expectRevert(t, GOVERNOR, 'castVote', [id + 1n, FOR], 'GovernorNonexistentProposal', [id + 1n], { from: bob })
  t.same(await h.read(GOVERNOR, 'proposalVotes', [id]), [0n, 40n * ONE_OPEN, 0n], 'nothing but alice counted')
  await h.toVoteEnd(id)
  await h.expectRevert(t, GOVERNOR, 'castVote', [id, FOR], 'GovernorUnexpectedProposalState', [id, STATE.Succeeded, ACTIVE_ONLY], { from: bob })
})

t.test('weights are the votes at the snapshot; reasons and params are logged', async (t) => {
  const { h, id, bob, carol, dave } = await setup()
  await h.setVotes(dave, 500n * ONE_OPEN)
  const r = await h.send(GOVERNOR, 'castVoteWithReason', [id, FOR, 'dave counts as at the snapshot'], { from: dave })
  t.equal(r.result, 10n * ONE_OPEN)
  t.same(r.events[0]?.args, { voter: getAddress(dave), proposalId: id, support: FOR, weight: 10n * ONE_OPEN, reason: 'dave counts as at the snapshot' })
  const p = await h.send(GOVERNOR, 'castVoteWithReasonAndParams', [id, 0, 'with params', '0x1234'], { from: bob })
  t.same(p.events[0], {
    address: GOVERNOR,
    eventName: 'VoteCastWithParams',
    args: { voter: getAddress(bob), proposalId: id, support: 0, weight: 30n * ONE_OPEN, reason: 'with params', params: '0x1234' },
  })
  const e = await h.send(GOVERNOR, 'castVoteWithReasonAndParams', [id, 2, 'empty params', '0x'], { from: carol })
  t.equal(e.events[0]?.eventName, 'VoteCast', 'empty params log VoteCast')
  t.same(await h.read(GOVERNOR, 'proposalVotes', [id]), [30n * ONE_OPEN, 10n * ONE_OPEN, 20n * ONE_OPEN])
  const snapshot = await h.read(GOVERNOR, 'proposalSnapshot', [id])
  t.equal(await h.read(GOVERNOR, 'getVotes', [dave, snapshot]), 10n * ONE_OPEN)
  t.equal(await h.read(GOVERNOR, 'getVotesWithParams', [dave, snapshot, '0xff']), 10n * ONE_OPEN)
})

t.test('castVoteBySig: an EIP-712 Ballot signed by the voter, each nonce once', async (t) => {
  const { h, id, alice, bob } = await setup()
  const signer = privateKeyToAccount(bytesToHex(h.accounts[1]!.key) as Hex)
  t.equal(signer.address.toLowerCase(), bob)
  const sign = async (nonce: bigint, support = FOR) =>
    signer.signTypedData({ domain, types: BALLOT, primaryType: 'Ballot', message: { proposalId: id, support, voter: signer.address, nonce } })
  t.equal(await h.read(GOVERNOR, 'nonces', [bob]), 0n)
  const signature = await sign(0n)
  await h.expectRevert(t, GOVERNOR, 'castVoteBySig', [id, FOR, alice, signature], 'GovernorInvalidSignature', [getAddress(alice)], { from: alice })
  await h.expectRevert(t, GOVERNOR, 'castVoteBySig', [id, 0, bob, signature], 'GovernorInvalidSignature', [getAddress(bob)], { from: alice })
  await h.expectRevert(t, GOVERNOR, 'castVoteBySig', [id, FOR, bob, await sign(1n)], 'GovernorInvalidSignature', [getAddress(bob)], { from: alice })
  await h.expectRevert(t, GOVERNOR, 'castVoteBySig', [id, FOR, bob, `${signature}00`], 'GovernorInvalidSignature', [getAddress(bob)], { from: alice })
  const r = await h.send(GOVERNOR, 'castVoteBySig', [id, FOR, bob, signature], { from: alice })
  t.equal(r.result, 30n * ONE_OPEN, 'relayed by alice, counted for bob')
  t.equal(r.events[0]?.args.voter, getAddress(bob))
  t.equal(await h.read(GOVERNOR, 'nonces', [bob]), 1n)
  t.equal(await h.read(GOVERNOR, 'hasVoted', [id, alice]), false)
  await h.expectRevert(t, GOVERNOR, 'castVoteBySig', [id, FOR, bob, signature], 'GovernorInvalidSignature', [getAddress(bob)], { from: alice })

  const carol = privateKeyToAccount(bytesToHex(h.accounts[2]!.key) as Hex)
  const message = { proposalId: id, support: 2, voter: carol.address, nonce: 0n, reason: 'signed reason', params: '0xabcd' as Hex }
  const extended = await carol.signTypedData({ domain, types: EXTENDED_BALLOT, primaryType: 'ExtendedBallot', message })
  const x = await h.send(GOVERNOR, 'castVoteWithReasonAndParamsBySig', [id, 2, carol.address, 'signed reason', '0xabcd', extended])
  t.same(x.events[0]?.args, { voter: carol.address, proposalId: id, support: 2, weight: 20n * ONE_OPEN, reason: 'signed reason', params: '0xabcd' })
  t.equal(await h.read(GOVERNOR, 'BALLOT_TYPEHASH'), keccak256(toHex('Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)')))
  t.equal(
    await h.read(GOVERNOR, 'EXTENDED_BALLOT_TYPEHASH'),
    keccak256(toHex('ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params)')),
  )
})

t.test('late quorum: the vote that reaches quorum near the end extends the deadline', async (t) => {
  const { h, id, alice, bob, dave } = await setup()
  const deadline = (await h.read(GOVERNOR, 'proposalDeadline', [id])) as bigint
  await h.send(GOVERNOR, 'castVote', [id, FOR], { from: dave })
  h.setTime(deadline - 10n)
  const r = await h.send(GOVERNOR, 'castVote', [id, FOR], { from: alice })
  t.same(r.events.at(-1), { address: GOVERNOR, eventName: 'ProposalExtended', args: { proposalId: id, extendedDeadline: deadline + 290n } })
  t.equal(await h.read(GOVERNOR, 'proposalDeadline', [id]), deadline + 290n)
  h.setTime(deadline + 1n)
  t.equal(await h.state(id), STATE.Active, 'still open after the original deadline')
  await h.send(GOVERNOR, 'castVote', [id, 0], { from: bob })
  h.setTime(deadline + 291n)
  t.equal(await h.state(id), STATE.Succeeded)

  const early = await setup()
  const r2 = await early.h.send(GOVERNOR, 'castVote', [early.id, FOR], { from: early.alice })
  t.notOk(
    r2.events.some((e) => e.eventName === 'ProposalExtended'),
    'quorum reached early: no extension',
  )
  const d2 = (await early.h.read(GOVERNOR, 'proposalDeadline', [early.id])) as bigint
  t.equal(d2, (await early.h.read(GOVERNOR, 'proposalSnapshot', [early.id])) + 1_000n)
})
