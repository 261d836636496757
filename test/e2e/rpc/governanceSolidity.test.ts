// Solidity against the runtime modules on a spawned --dev node: GovernanceDriver.sol (compiled
// into contracts.json by test/fixtures/contracts/compile.ts) imports OpenZeppelin 5.7's own
// IGovernor, IERC5805, IERC20 and IERC20Permit and through them wraps OPEN into GOPEN, delegates,
// proposes, votes, queues and executes against the governor and GOPEN modules; a module write in
// a call that reverts is undone with it.
import t from 'tap'
import { encodeAbiParameters, getAddress, keccak256, parseEther, parseEventLogs } from 'viem'
import type { Abi, Address, Hex } from 'viem'
import { MODULE_ADDRESSES, gopenAbi, governorAbi } from '../../../runtime/index.ts'
import { GOVERNANCE_DRIVER } from '../../fixtures/contracts/contracts.ts'
import { type DevWallet, type Proposal, STATE, createGovernanceClient, decodeRevert, operations } from './governanceClient.ts'
import { startDevNode } from './nodeProcess.ts'

// no interval blocks: each block holds what the test sent
const node = await startDevNode(['--block.time', '3600'])
t.teardown(() => node.stop())
const g = createGovernanceClient(node)
const { publicClient } = g
const [alice, bob, carol] = [1, 2, 3].map(g.wallet) as [DevWallet, DevWallet, DevWallet]
const abi = GOVERNANCE_DRIVER.abi as Abi
const WRAPPED = parseEther('300')
const PAYMENT = parseEther('7')

await g.mine() // a first block
await g.releaseGenesisVotes(bob)
const deployed = await publicClient.waitForTransactionReceipt({
  hash: await alice.deployContract({ abi, bytecode: GOVERNANCE_DRIVER.bytecode, args: [MODULE_ADDRESSES.governor, MODULE_ADDRESSES.gopen] }),
})
const driver = getAddress(deployed.contractAddress!)
const call = <T>(functionName: string, args: readonly unknown[] = []) => g.read<T>(driver, abi, functionName, args)
const drive = (functionName: string, args: readonly unknown[] = [], from: DevWallet = alice) => g.write(from, { address: driver, abi, functionName, args })
/** GOPEN's storage slot of `account`'s balance (slot 0: mapping(address => uint256), OZ's ERC20 layout). */
const balanceSlot = (account: Address): Hex => keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [account, 0n]))

t.test('a contract wraps by sending OPEN to GOPEN and delegates to itself, through IERC20 / IERC5805 / IERC20Permit', async (t) => {
  t.equal(deployed.status, 'success')
  await g.mined(await alice.sendTransaction({ to: driver, value: parseEther('1000') }), 'funding the driver')
  const wrapped = await drive('wrap', [WRAPPED])
  const [deposit] = parseEventLogs({ abi: gopenAbi, logs: wrapped.logs, eventName: 'Deposit' })
  t.same(deposit?.args, { dst: driver, wad: WRAPPED }, 'GOPEN minted to the contract that sent the value')
  const [balance, supply, delegatee, nonce, domain] = await call<readonly [bigint, bigint, Address, bigint, Hex]>('token')
  t.same([balance, supply, delegatee, nonce], [WRAPPED, WRAPPED, '0x0000000000000000000000000000000000000000', 0n])
  t.equal(domain, await g.gopen<Hex>('DOMAIN_SEPARATOR'), 'IERC20Permit.DOMAIN_SEPARATOR')
  await drive('delegateToSelf')
  t.equal((await call<readonly unknown[]>('token'))[2], driver, 'delegates(this) = this')
  const head = await g.now()
  t.equal((await call<readonly bigint[]>('votes', [head - 1n]))[0], WRAPPED, 'IERC5805.getVotes')
  const [governorClock, tokenClock, mode] = await call<readonly [number, number, string]>('clocks')
  t.same([BigInt(governorClock), BigInt(tokenClock), mode], [head, head, 'mode=timestamp'], 'the ERC-6372 clock is the block timestamp')
  await g.mine() // the proposal threshold is read at clock - 1
})

t.test('it proposes, votes, queues and executes a treasury payment through IGovernor; state, votes and quorum read through it', async (t) => {
  const p: Proposal = { targets: [driver], values: [PAYMENT], calldatas: ['0x'], description: 'Pay the driver 7 OPEN from the treasury' }
  const proposed = await drive('propose', [p.targets, p.values, p.calldatas, p.description])
  const [created] = parseEventLogs({ abi: governorAbi, logs: proposed.logs, eventName: 'ProposalCreated' })
  t.equal(created?.args.proposer, driver, 'the contract is the proposer')
  const id = created!.args.proposalId
  t.equal(id, await g.proposalId(p))
  t.equal(await call<number>('state', [id]), STATE.Pending)
  const [snapshot, deadline] = await call<readonly bigint[]>('proposalTimes', [id])
  await g.travelPast(snapshot!)
  t.equal(await call<number>('state', [id]), STATE.Active)
  t.same(await call<readonly bigint[]>('votes', [snapshot]), [WRAPPED, WRAPPED, WRAPPED], 'getVotes, getPastVotes and the governor agree')
  const quorum = await call<bigint>('quorum', [snapshot])
  t.equal(quorum, (WRAPPED * 500n) / 10_000n, '5% of the voting supply at the snapshot')
  t.equal(quorum, await g.governor<bigint>('quorum', [snapshot]))

  // a module revert caught by try/catch in Solidity: queue while Active
  const { result } = await publicClient.simulateContract({ account: alice.account, address: driver, abi, functionName: 'tryQueue', args: operations(p) })
  const [ok, reason] = result as readonly [boolean, Hex]
  t.equal(ok, false)
  t.same(decodeRevert(reason), { errorName: 'GovernorUnexpectedProposalState', args: [id, STATE.Active, `0x${'0'.repeat(62)}10`] }, 'caught with its data')

  const voted = await drive('castVote', [id, 1])
  const [cast] = parseEventLogs({ abi: governorAbi, logs: voted.logs, eventName: 'VoteCast' })
  t.same([cast?.args.voter, cast?.args.weight], [driver, WRAPPED])
  await g.travelPast(deadline!)
  t.equal(await call<number>('state', [id]), STATE.Succeeded)
  await drive('queue', operations(p))
  t.equal(await call<number>('state', [id]), STATE.Queued)
  const [, , eta] = await call<readonly bigint[]>('proposalTimes', [id])
  await g.travelPast(eta!)
  const before = await publicClient.getBalance({ address: driver })
  const treasury = await publicClient.getBalance({ address: MODULE_ADDRESSES.timelock })
  await drive('execute', operations(p), carol)
  t.equal(await call<number>('state', [id]), STATE.Executed)
  t.equal(await publicClient.getBalance({ address: driver }), before + PAYMENT, 'the treasury paid the contract')
  t.equal(await publicClient.getBalance({ address: MODULE_ADDRESSES.timelock }), treasury - PAYMENT)
})

t.test('a GOPEN wrap and transfer inside a call that reverts are undone: balances, supply, storage and OPEN as before', async (t) => {
  const read = async () => ({
    driver: await g.gopen<bigint>('balanceOf', [driver]),
    carol: await g.gopen<bigint>('balanceOf', [carol.account.address]),
    supply: await g.gopen<bigint>('totalSupply'),
    slot: await publicClient.getStorageAt({ address: MODULE_ADDRESSES.gopen, slot: balanceSlot(driver) }),
    open: await publicClient.getBalance({ address: driver }),
    wrappedOpen: await publicClient.getBalance({ address: MODULE_ADDRESSES.gopen }),
  })
  const before = await read()
  t.equal(BigInt(before.slot!), WRAPPED, "the balance word in OZ's slot")
  const args = [parseEther('50'), carol.account.address, parseEther('20')] as const
  // inside, GOPEN saw the wrap and the transfer (the revert carries what it reported) ...
  const inside = await g.revertOf(publicClient.simulateContract({ account: alice.account, address: driver, abi, functionName: 'wrapThenRevert', args }), abi)
  t.same(inside, { errorName: 'Undone', args: [WRAPPED + parseEther('30'), WRAPPED + parseEther('50')] })
  // ... and mined (a gas limit skips the estimate), the tx reverts and takes them back
  const hash = await alice.writeContract({ address: driver, abi, functionName: 'wrapThenRevert', args, gas: 500_000n })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  t.equal(receipt.status, 'reverted')
  t.equal(receipt.logs.length, 0, 'no Deposit or Transfer survives')
  t.same(await read(), before)
})
