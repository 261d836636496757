// The runtime modules end to end with viem against a spawned --dev node (devnet, automine): GOPEN
// wrapping and delegation, a chain-parameter change through the Governor and the timelock seen in
// the next block's fees, defeated proposals, a flash deposit that cannot vote, bad input over
// JSON-RPC, and the OPEN supply accounted for to the wei after it all.
import t from 'tap'
import { encodeFunctionData, parseEther, parseEventLogs, toFunctionSelector } from 'viem'
import type { Abi, Address, Hex } from 'viem'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES, chainParamsAbi, gopenAbi, governorAbi } from '../../../runtime/index.ts'
import { type DevWallet, type Proposal, createGovernanceClient, decodeRevert } from './governanceClient.ts'
import { startDevNode } from './nodeProcess.ts'

// no interval blocks: every block holds exactly what the test sent (balance deltas are one tx's fees)
const node = await startDevNode(['--block.time', '3600'])
t.teardown(() => node.stop())
const g = createGovernanceClient(node)
const { publicClient } = g
const [alice, bob, carol, dave, erin, frank] = [1, 2, 3, 4, 5, 6].map(g.wallet) as [DevWallet, DevWallet, DevWallet, DevWallet, DevWallet, DevWallet]
const TOTAL_SUPPLY = 10n ** 27n
const FULL_SHARE = 10_000n
const BASE_FEE_RECIPIENT = '0x4200000000000000000000000000000000000019'
const COINBASE = '0x4200000000000000000000000000000000000011'
const shareCall = (bps: number): Hex => encodeFunctionData({ abi: chainParamsAbi, functionName: 'setBaseFeeShare', args: [bps] })
const proposal = (calldata: Hex, description: string): Proposal => ({
  targets: [MODULE_ADDRESSES.chainParams],
  values: [0n],
  calldatas: [calldata],
  description,
})
const nextShare = async (): Promise<bigint> =>
  BigInt((await g.read<readonly unknown[]>(MODULE_ADDRESSES.chainParams, chainParamsAbi as Abi, 'nextBlockParams'))[5] as number)
const balanceAt = (address: Address, blockNumber: bigint) => publicClient.getBalance({ address, blockNumber })

await g.mine() // a first block
const supplyAtStart = await g.supply()

t.test('wrap (deposit) and self-delegate: GOPEN 1:1 for OPEN, votes from the delegation on', async (t) => {
  const investor = DEV_ACCOUNTS[9]!.address as Address // the devnet's investor grant
  t.ok((await g.gopen<bigint>('lockedVotingUnitsOf', [investor])) > 0n, 'the genesis investor grant holds locked voting units')
  await g.releaseGenesisVotes(dave)
  t.equal(await g.gopen<bigint>('lockedVotingUnitsOf', [investor]), 0n, 'the genesis investor units are released')
  const before = await publicClient.getBalance({ address: alice.account.address })
  const hash = await alice.writeContract({ address: MODULE_ADDRESSES.gopen, abi: gopenAbi, functionName: 'deposit', value: parseEther('1000') })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  t.equal(receipt.status, 'success')
  const [deposit] = parseEventLogs({ abi: gopenAbi, logs: receipt.logs, eventName: 'Deposit' })
  t.same(deposit?.args, { dst: alice.account.address, wad: parseEther('1000') }, 'Deposit(dst, wad) at the GOPEN address')
  const paid = receipt.gasUsed * receipt.effectiveGasPrice
  t.equal(await publicClient.getBalance({ address: alice.account.address }), before - parseEther('1000') - paid, 'OPEN left: the deposit and the fee')
  t.equal(await g.gopen<bigint>('balanceOf', [alice.account.address]), parseEther('1000'))
  t.equal(await g.gopen<bigint>('getVotes', [alice.account.address]), 0n, 'no votes before delegating')
  await g.write(alice, { address: MODULE_ADDRESSES.gopen, abi: gopenAbi as Abi, functionName: 'delegate', args: [alice.account.address] })
  t.equal(await g.gopen<bigint>('getVotes', [alice.account.address]), parseEther('1000'))
  await g.wrapAndDelegate(bob, parseEther('100'))
  await g.wrapAndDelegate(erin, parseEther('20'))
  t.equal(await g.gopen<bigint>('totalSupply'), parseEther('1120'))
  t.equal(await publicClient.getBalance({ address: MODULE_ADDRESSES.gopen }), parseEther('1120'), 'the module holds the wrapped OPEN')
  await g.mine() // the proposal threshold is read at clock - 1: one block for the delegation to count
})

let executeBlock = 0n

t.test('a chain-parameter change through the Governor: Pending, Active, Succeeded, Queued, Executed', async (t) => {
  const p = proposal(shareCall(5000), 'Credit half of every base fee to the base-fee recipient, the rest to the coinbase')
  const { id, receipt: proposed } = await g.propose(alice, p)
  t.equal(id, await g.proposalId(p), 'ProposalCreated carries hashProposal(targets, values, calldatas, keccak(description))')
  const proposedAt = (await publicClient.getBlock({ blockNumber: proposed.blockNumber })).timestamp
  const snapshot = await g.governor<bigint>('proposalSnapshot', [id])
  t.equal(snapshot, proposedAt + 60n, 'snapshot = propose time + votingDelay (60 s)')
  t.equal(await g.governor<bigint>('proposalDeadline', [id]), snapshot + 300n, 'deadline = snapshot + votingPeriod (300 s)')
  t.equal(await g.state(id), 'Pending')
  const early = await g.revertOf(alice.writeContract({ address: MODULE_ADDRESSES.governor, abi: governorAbi, functionName: 'castVote', args: [id, 1] }))
  t.equal(early.errorName, 'GovernorUnexpectedProposalState', 'no vote while Pending')
  t.same(early.args.slice(0, 2), [id, 0])

  // the next block's time set, not yet mined: "latest" reads the head, "pending" the next block
  await g.testClient.setNextBlockTimestamp({ timestamp: snapshot + 1n })
  const pendingState = await publicClient.readContract({
    address: MODULE_ADDRESSES.governor,
    abi: governorAbi,
    functionName: 'state',
    args: [id],
    blockTag: 'pending',
  })
  t.same([await g.state(id), pendingState], ['Pending', 1], 'eth_call at "pending" sees the proposal Active already')
  await g.mine()
  t.equal(await g.state(id), 'Active')
  const quorum = await g.governor<bigint>('quorum', [snapshot])
  t.equal(quorum, (parseEther('1120') * 500n) / FULL_SHARE, "quorum = 5% of GOPEN's voting supply at the snapshot")
  t.equal(await g.vote(alice, id, 1), parseEther('1000'), 'VoteCast weight: the votes at the snapshot')
  t.ok(parseEther('1000') >= quorum)

  // a second vote by the same account reverts, decoded, and the tally does not move
  const tally = await g.governor<readonly bigint[]>('proposalVotes', [id])
  const again = await g.revertOf(alice.writeContract({ address: MODULE_ADDRESSES.governor, abi: governorAbi, functionName: 'castVote', args: [id, 0] }))
  t.same(again, { errorName: 'GovernorAlreadyCastVote', args: [alice.account.address] })
  t.same(await g.governor<readonly bigint[]>('proposalVotes', [id]), tally, 'against / for / abstain unchanged')
  t.same(tally, [0n, parseEther('1000'), 0n])

  await g.travelPast(await g.governor<bigint>('proposalDeadline', [id]))
  t.equal(await g.state(id), 'Succeeded')
  const queued = await g.queue(alice, p)
  t.equal(await g.state(id), 'Queued')
  const queuedAt = (await publicClient.getBlock({ blockNumber: queued.blockNumber })).timestamp
  const eta = await g.governor<bigint>('proposalEta', [id])
  t.equal(eta, queuedAt + 120n, 'eta = queue time + the timelock delay (120 s)')

  // execute before eta: the timelock refuses (its error bubbles through the governor), nothing runs
  const tooSoon = await g.revertOf(alice.writeContract({ address: MODULE_ADDRESSES.governor, abi: governorAbi, functionName: 'execute', args: [id] }))
  t.equal(tooSoon.errorName, 'TimelockUnexpectedOperationState')
  t.equal(tooSoon.args[1], `0x${'0'.repeat(63)}4`, 'expected state: Ready (bit 2)')
  t.equal(await g.state(id), 'Queued')
  t.equal(await nextShare(), FULL_SHARE, 'the split is unchanged')

  await g.travelPast(eta)
  // a dry run as a developer does one: snapshot, execute, look, revert; the module state, the
  // governed parameters the sequencer builds with and the logs go back with the chain
  const snapshotId = await g.testClient.snapshot()
  await g.execute(alice, p)
  t.equal(await g.state(id), 'Executed', 'dry run: executed')
  t.equal(await nextShare(), 5000n)
  await g.testClient.revert({ id: snapshotId })
  t.equal(await g.state(id), 'Queued', 'evm_revert: queued again')
  t.equal(await nextShare(), FULL_SHARE, 'evm_revert: the old split again')
  const executedLogs = () =>
    publicClient.getContractEvents({ address: MODULE_ADDRESSES.governor, abi: governorAbi, eventName: 'ProposalExecuted', fromBlock: 0n })
  t.equal((await executedLogs()).length, 0, "evm_revert: the dry run's ProposalExecuted log is gone")
  const dry = await publicClient.waitForTransactionReceipt({ hash: await dave.sendTransaction({ to: DEV_ACCOUNTS[8]!.address as Address, value: 1n }) })
  const dryBlock = await publicClient.getBlock({ blockNumber: dry.blockNumber })
  const dryFee = dryBlock.baseFeePerGas! * dry.gasUsed
  t.equal(
    (await balanceAt(BASE_FEE_RECIPIENT, dry.blockNumber)) - (await balanceAt(BASE_FEE_RECIPIENT, dry.blockNumber - 1n)),
    dryFee,
    'a block after the revert credits the whole base fee: the sequencer builds with the restored parameters',
  )

  const executed = await g.execute(alice, p)
  t.same(
    (await executedLogs()).map((l) => [l.args.proposalId, l.blockNumber]),
    [[id, executed.blockNumber]],
    'eth_getLogs: one ProposalExecuted, in the real execution block',
  )
  executeBlock = executed.blockNumber
  t.equal(await g.state(id), 'Executed')
  const [changed] = parseEventLogs({ abi: chainParamsAbi, logs: executed.logs, eventName: 'ChainParameterChanged' })
  t.equal(changed?.args.value, 5000n)
  t.equal(changed?.args.fromBlock, executed.blockNumber + 1n, 'in force from the next block')
  const now = await g.read<readonly unknown[]>(MODULE_ADDRESSES.chainParams, chainParamsAbi as Abi, 'blockParams', [], executed.blockNumber)
  t.equal(BigInt(now[5] as number), FULL_SHARE, 'the executing block keeps the old split')
  t.equal(await nextShare(), 5000n)

  // the execute's own fees: the whole base fee to the base-fee recipient, the tip to the coinbase
  const block = await publicClient.getBlock({ blockNumber: executed.blockNumber })
  t.equal(block.transactions.length, 1)
  const baseFee = block.baseFeePerGas! * executed.gasUsed
  const tip = (executed.effectiveGasPrice - block.baseFeePerGas!) * executed.gasUsed
  const n = executed.blockNumber
  t.equal((await balanceAt(BASE_FEE_RECIPIENT, n)) - (await balanceAt(BASE_FEE_RECIPIENT, n - 1n)), baseFee, 'old split: 100% of the base fee')
  t.equal((await balanceAt(COINBASE, n)) - (await balanceAt(COINBASE, n - 1n)), tip, 'old split: the coinbase gets the tip only')
})

t.test('the block after the execution credits 50% of baseFee x gasUsed to the base-fee recipient, the rest and the tip to the coinbase', async (t) => {
  const hash = await dave.sendTransaction({ to: DEV_ACCOUNTS[7]!.address as Address, value: 1n })
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  t.equal(receipt.blockNumber, executeBlock + 1n, 'the very next block')
  const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber })
  t.equal(block.miner, COINBASE)
  t.equal(block.transactions.length, 1)
  const baseFee = block.baseFeePerGas! * receipt.gasUsed
  const tip = (receipt.effectiveGasPrice - block.baseFeePerGas!) * receipt.gasUsed
  t.ok(tip > 0n, 'viem paid a tip')
  const n = receipt.blockNumber
  const toBase = (await balanceAt(BASE_FEE_RECIPIENT, n)) - (await balanceAt(BASE_FEE_RECIPIENT, n - 1n))
  const toCoinbase = (await balanceAt(COINBASE, n)) - (await balanceAt(COINBASE, n - 1n))
  t.equal(toBase * 2n, baseFee, `exactly half of ${baseFee} wei`)
  t.equal(toCoinbase, baseFee - toBase + tip, 'the other half plus the tip')
})

t.test('defeated proposals: Against wins; For misses the 5% quorum; queueing either reverts GovernorUnexpectedProposalState', async (t) => {
  const against = proposal(shareCall(0), 'Everything to the coinbase (Against wins)')
  const thin = proposal(shareCall(2500), 'A quarter to the base-fee recipient (too few votes)')
  const a = (await g.propose(alice, against)).id
  const b = (await g.propose(alice, thin)).id
  await g.travelPast(await g.governor<bigint>('proposalSnapshot', [b]))
  const quorum = await g.governor<bigint>('quorum', [await g.governor<bigint>('proposalSnapshot', [b])])
  t.equal(await g.vote(bob, a, 1), parseEther('100'), 'For: 100 GOPEN, above the quorum')
  t.equal(await g.vote(alice, a, 0), parseEther('1000'), 'Against: 1000 GOPEN')
  t.equal(await g.vote(erin, b, 1), parseEther('20'), 'For: 20 GOPEN, nobody Against')
  t.ok(parseEther('20') < quorum && parseEther('100') >= quorum, `quorum ${quorum}`)
  await g.travelPast(await g.governor<bigint>('proposalDeadline', [b]))
  for (const [name, id] of [
    ['Against wins', a],
    ['quorum missed', b],
  ] as const) {
    t.equal(await g.state(id), 'Defeated', name)
    const r = await g.revertOf(alice.writeContract({ address: MODULE_ADDRESSES.governor, abi: governorAbi, functionName: 'queue', args: [id] }))
    t.same(r, { errorName: 'GovernorUnexpectedProposalState', args: [id, 3, `0x${'0'.repeat(62)}10`] }, `${name}: queue expects Succeeded (bit 4)`)
    t.equal(await g.state(id), 'Defeated', `${name}: still Defeated`)
  }
  t.equal(await nextShare(), 5000n, 'neither touched the split')
})

t.test("GOPEN wrapped and delegated after a proposal's snapshot carries no votes on it: castVote succeeds with weight 0", async (t) => {
  const p = proposal(shareCall(7500), 'Three quarters to the base-fee recipient')
  const id = (await g.propose(alice, p)).id
  // before the snapshot (Pending) a wrap counts, as OZ's voting delay intends
  await g.wrapAndDelegate(frank, parseEther('50'))
  const snapshot = await g.governor<bigint>('proposalSnapshot', [id])
  await g.travelPast(snapshot)
  t.equal(await g.state(id), 'Active')
  await g.wrapAndDelegate(carol, parseEther('5000'))
  t.equal(await g.gopen<bigint>('getVotes', [carol.account.address]), parseEther('5000'), 'carol has 5000 votes now')
  t.equal(await g.governor<bigint>('getVotes', [carol.account.address, snapshot]), 0n, '... and none at the snapshot')
  const before = await g.governor<readonly bigint[]>('proposalVotes', [id])
  t.equal(await g.vote(carol, id, 1), 0n, 'castVote succeeds with weight 0')
  t.ok(await g.governor<boolean>('hasVoted', [id, carol.account.address]), 'the vote is recorded')
  t.same(await g.governor<readonly bigint[]>('proposalVotes', [id]), before, 'the tally does not move')
  t.equal(await g.vote(frank, id, 1), parseEther('50'), 'the wrap made before the snapshot votes')
})

t.test('bad input over JSON-RPC reverts with the module error, state unchanged', async (t) => {
  const sender = dave.account.address
  const gopenBefore = await g.gopen<bigint>('balanceOf', [sender])
  const moduleBalance = await publicClient.getBalance({ address: MODULE_ADDRESSES.gopen })
  const rpcRevert = async (method: string, params: unknown[]) => {
    const err = await publicClient.request({ method, params } as never).then(
      () => undefined,
      (e: unknown) => e as { code?: number; data?: Hex; cause?: { code?: number; data?: Hex } },
    )
    const data = err?.data ?? err?.cause?.data
    t.ok(typeof data === 'string', `${method}: revert data`)
    return decodeRevert(data as Hex)
  }
  // calldata no canonical encoder produces: a selector with a short argument, a partial selector
  const short = `${toFunctionSelector('balanceOf(address)')}${'00'.repeat(12)}` as Hex
  t.same(await rpcRevert('eth_call', [{ to: MODULE_ADDRESSES.gopen, data: short }, 'latest']), { errorName: 'MalformedCalldata', args: [] })
  t.same(await rpcRevert('eth_call', [{ to: MODULE_ADDRESSES.governor, data: '0x1234' }, 'latest']), { errorName: 'MalformedCalldata', args: [] })
  // value to a function that is not payable: refused at the estimate of eth_sendTransaction ...
  const transfer = encodeFunctionData({ abi: gopenAbi, functionName: 'transfer', args: [bob.account.address, 1n] })
  const tx = { from: sender, to: MODULE_ADDRESSES.gopen, data: transfer, value: '0x1' }
  t.same(await rpcRevert('eth_sendTransaction', [tx]), { errorName: 'NonPayable', args: [] })
  // ... and, sent with a gas limit (no estimate), mined as a reverted tx that moved nothing
  const hash = (await publicClient.request({ method: 'eth_sendTransaction', params: [{ ...tx, gas: '0x30000' }] } as never)) as Hex
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  t.equal(receipt.status, 'reverted')
  t.equal(await g.gopen<bigint>('balanceOf', [sender]), gopenBefore, 'GOPEN balance unchanged')
  t.equal(await publicClient.getBalance({ address: MODULE_ADDRESSES.gopen }), moduleBalance, "the module's OPEN unchanged: the value went back")
  // only the timelock sets chain parameters
  const unauthorized = await g.revertOf(
    dave.writeContract({ address: MODULE_ADDRESSES.chainParams, abi: chainParamsAbi, functionName: 'setBaseFeeShare', args: [0] }),
  )
  t.same(unauthorized, { errorName: 'ChainParamsUnauthorized', args: [sender] })
  t.same(
    await rpcRevert('eth_call', [{ from: sender, to: MODULE_ADDRESSES.chainParams, data: shareCall(0) }, 'latest']),
    unauthorized,
    'eth_call says the same',
  )
  t.equal(await nextShare(), 5000n, 'the split unchanged')
})

t.test('supply: circulating + locked + wrapped + fees = total = 10^27 before and after, every wei on a known account', async (t) => {
  const end = await g.supply()
  for (const s of [supplyAtStart, end]) {
    t.equal(s.total, TOTAL_SUPPLY, `block ${s.block}: total`)
    t.equal(s.circulating + s.locked + s.wrapped + s.fees, TOTAL_SUPPLY, `block ${s.block}: the parts add up`)
  }
  t.equal(end.wrapped, await g.gopen<bigint>('totalSupply'), 'wrapped = GOPEN totalSupply()')
  t.equal(end.wrapped, parseEther('6170'), 'what the walkthrough wrapped')
  t.equal(end.locked, await publicClient.getBalance({ address: MODULE_ADDRESSES.vesting }), 'locked = the vesting module balance')
  t.ok(end.fees > supplyAtStart.fees, 'fees grew')
  // every account that holds OPEN on this chain: the dev accounts, the modules, the genesis
  // placeholders and the fee recipients; their balances at the end block sum to the supply
  const holders = new Set<Address>([
    ...DEV_ACCOUNTS.map((a) => a.address as Address),
    ...Object.values(MODULE_ADDRESSES),
    '0x4f50454e00000000000000000000000000000002',
    '0x4f50454e00000000000000000000000000000003',
    '0x4f50454e00000000000000000000000000000004',
    BASE_FEE_RECIPIENT,
    COINBASE,
  ])
  let sum = 0n
  for (const a of holders) sum += await balanceAt(a, end.block)
  t.equal(sum, TOTAL_SUPPLY, 'the balances of all holders sum to 10^27')
})
