// The runtime modules end to end with ethers v6 against a spawned --dev node (devnet, automine):
// GOPEN wrap and delegation, a whole proposal (a treasury payment) through Governor and timelock,
// and reverts decoded through ethers' Interface (the error's revert.name, parseError).
import t from 'tap'
import { Contract, Interface, Wallet, ZeroHash, id as hashText, isError, parseEther } from 'ethers'
import type { ContractTransactionReceipt, InterfaceAbi } from 'ethers'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES, gopenAbi, governorAbi, timelockAbi, vestingAbi } from '../../../runtime/index.ts'
import { STATE } from './governanceClient.ts'
import { createEthersProvider } from './ethersProvider.ts'
import { startDevNode } from './nodeProcess.ts'

// no interval blocks: each block holds what the test sent
const node = await startDevNode(['--block.time', '3600'])
t.teardown(() => node.stop())
const provider = createEthersProvider(node.url)
t.teardown(() => provider.destroy())
const alice = new Wallet(DEV_ACCOUNTS[1]!.privateKey, provider)
const bob = new Wallet(DEV_ACCOUNTS[2]!.privateKey, provider)
const payee = DEV_ACCOUNTS[9]!.address
const gopen = new Contract(MODULE_ADDRESSES.gopen, gopenAbi as InterfaceAbi, alice)
const governor = new Contract(MODULE_ADDRESSES.governor, governorAbi as InterfaceAbi, alice)
const vesting = new Contract(MODULE_ADDRESSES.vesting, vestingAbi as InterfaceAbi, alice)
/** Every error a governor call can end in: its own and the timelock's, which bubble through it. */
const governance = new Interface([...governorAbi, ...timelockAbi].filter((i) => i.type === 'error') as InterfaceAbi)
const PAYMENT = parseEther('5')

/** Send a contract call and wait for its receipt. */
async function send(contract: Contract, from: Wallet, signature: string, ...args: unknown[]): Promise<ContractTransactionReceipt> {
  const tx = await (contract.connect(from) as Contract).getFunction(signature)(...args)
  return (await tx.wait()) as ContractTransactionReceipt
}

/** The ethers error a promise rejects with (CALL_EXCEPTION expected). */
async function callException(p: Promise<unknown>): Promise<{ revert: { name: string; args: unknown[] } | null; data: string }> {
  try {
    await p
  } catch (err) {
    if (isError(err, 'CALL_EXCEPTION'))
      return { revert: err.revert === null ? null : { name: err.revert.name, args: [...err.revert.args] }, data: err.data ?? '' }
    throw err
  }
  throw new Error('expected a CALL_EXCEPTION')
}

/** evm_setNextBlockTimestamp past `timestamp`, then evm_mine. */
async function travelPast(timestamp: bigint): Promise<void> {
  const head = (await provider.getBlock('latest'))!.timestamp
  if (BigInt(head) > timestamp) return
  await provider.send('evm_setNextBlockTimestamp', [Number(timestamp + 1n)])
  await provider.send('evm_mine', [])
}

const state = async (id: bigint): Promise<number> => Number(await governor.getFunction('state')(id))

await provider.send('evm_mine', [])
// the genesis investor and team schedules (months 12-48 of 60-second months from the chain's
// creation) count as voting supply until released: travel past their end and release them (see governanceClient.ts)
for (const schedule of [1n, 2n]) {
  const [, , , start, , duration] = await vesting.getFunction('getSchedule')(schedule)
  await travelPast(BigInt(start) + BigInt(duration))
  await send(vesting, bob, 'release(uint256)', schedule) // release() (all of msg.sender's) is an overload
}

t.test('wrap (deposit) and delegate with ethers; an ERC-20 revert decoded by name', async (t) => {
  const receipt = await send(gopen, alice, 'deposit', { value: parseEther('500') })
  const deposit = receipt.logs.map((l) => gopen.interface.parseLog(l)).find((l) => l?.name === 'Deposit')
  t.same([...deposit!.args], [alice.address, parseEther('500')], 'Deposit(dst, wad)')
  await send(gopen, alice, 'delegate', alice.address)
  await send(gopen, bob, 'deposit', { value: parseEther('100') })
  await send(gopen, bob, 'delegate', bob.address)
  t.equal(await gopen.getFunction('getVotes')(alice.address), parseEther('500'))
  t.equal(await gopen.getFunction('getVotes')(bob.address), parseEther('100'))
  t.equal(await gopen.getFunction('delegates')(bob.address), bob.address)
  // more than bob holds: OZ's ERC20InsufficientBalance. A static call names it (revert.name); a
  // send fails at ethers' estimateGas, which leaves custom errors undecoded: parseError the data
  const transfer = (gopen.connect(bob) as Contract).getFunction('transfer')
  const err = await callException(transfer.staticCall(alice.address, parseEther('1000')))
  t.same(err.revert, { name: 'ERC20InsufficientBalance', args: [bob.address, parseEther('100'), parseEther('1000')] })
  const sent = await callException(transfer(alice.address, parseEther('1000')))
  t.equal(gopen.interface.parseError(sent.data)?.name, 'ERC20InsufficientBalance', 'parseError of the revert data')
  t.equal(await gopen.getFunction('balanceOf')(bob.address), parseEther('100'), 'nothing moved')
  await provider.send('evm_mine', []) // the proposal threshold is read at clock - 1
})

t.test('a treasury payment through Governor and timelock with ethers: propose, vote, queue, execute', async (t) => {
  const targets = [payee]
  const values = [PAYMENT]
  const calldatas = ['0x']
  const description = 'Pay 5 OPEN from the treasury'
  const descriptionHash = hashText(description)
  const proposed = await send(governor, alice, 'propose', targets, values, calldatas, description)
  const created = proposed.logs.map((l) => governor.interface.parseLog(l)).find((l) => l?.name === 'ProposalCreated')!
  const id = created.args.proposalId as bigint
  t.equal(id, await governor.getFunction('hashProposal')(targets, values, calldatas, descriptionHash))
  t.equal(await state(id), STATE.Pending)
  await travelPast(await governor.getFunction('proposalSnapshot')(id))
  t.equal(await state(id), STATE.Active)

  const voted = await send(governor, alice, 'castVote', id, 1)
  t.equal(voted.logs.map((l) => governor.interface.parseLog(l)).find((l) => l?.name === 'VoteCast')?.args.weight, parseEther('500'))
  await send(governor, bob, 'castVoteWithReason', id, 2, 'abstaining')
  t.same([...(await governor.getFunction('proposalVotes')(id))], [0n, parseEther('500'), parseEther('100')], 'against, for, abstain')

  // queue while Active: the governor's own error, named by ethers
  const early = await callException(governor.getFunction('queue(uint256)').staticCall(id))
  t.equal(early.revert?.name, 'GovernorUnexpectedProposalState')
  t.same(early.revert?.args, [id, BigInt(STATE.Active), `0x${'0'.repeat(62)}10`])

  await travelPast(await governor.getFunction('proposalDeadline')(id))
  t.equal(await state(id), STATE.Succeeded)
  const queued = await send(governor, alice, 'queue(address[],uint256[],bytes[],bytes32)', targets, values, calldatas, descriptionHash)
  const eta = queued.logs.map((l) => governor.interface.parseLog(l)).find((l) => l?.name === 'ProposalQueued')?.args.etaSeconds as bigint
  t.equal(await state(id), STATE.Queued)

  // execute before eta: the timelock's error bubbles through the governor, whose ABI does not list
  // it; the data decodes with the timelock's interface
  const tooSoon = await callException(governor.getFunction('execute(uint256)')(id))
  const parsed = governance.parseError(tooSoon.data)
  t.equal(parsed?.name, 'TimelockUnexpectedOperationState')
  t.not(parsed?.args[0], ZeroHash, 'the operation id')

  await travelPast(eta)
  const treasury = await provider.getBalance(MODULE_ADDRESSES.timelock)
  const before = await provider.getBalance(payee)
  const executed = await send(governor, bob, 'execute(address[],uint256[],bytes[],bytes32)', targets, values, calldatas, descriptionHash)
  t.ok(executed.logs.some((l) => governor.interface.parseLog(l)?.name === 'ProposalExecuted'))
  t.equal(await state(id), STATE.Executed)
  t.equal(await provider.getBalance(payee), before + PAYMENT, 'the payee got 5 OPEN')
  t.equal(await provider.getBalance(MODULE_ADDRESSES.timelock), treasury - PAYMENT, 'from the treasury')
  const again = await callException(governor.getFunction('execute(uint256)').staticCall(id))
  t.equal(again.revert?.name, 'GovernorUnexpectedProposalState', 'an executed proposal does not run twice')
})
