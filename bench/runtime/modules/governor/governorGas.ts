// Gas of the governor module against OpenZeppelin 5.7's Solidity Governor with the same
// extensions (Settings, CountingSimple, Storage, Votes, QuorumFraction, PreventLateQuorum,
// TimelockControl: test/fixtures/modules/GovernorReference.sol) and TimelockController, both reading votes from the same votes module, on one
// runtime VM, running the same proposal: pay 5 OPEN from the treasury and setVotingPeriod(2000).
// Budget it serves: governance actions must cost about what the Solidity governor costs
// (runtime/modules/governor/README.md, "Gas"). Gas is deterministic, so one run is the result.
// Run: node --import tsx bench/runtime/modules/governor/governorGas.ts
import { mkdirSync, writeFileSync } from 'node:fs'
import { encodeAbiParameters, encodeDeployData, encodeFunctionData, keccak256, toHex } from 'viem'
import type { Abi } from 'viem'
import type { Hex } from '../../../../genesis/index.ts'
import { governorAbi } from '../../../../runtime/index.ts'
import { ONE_OPEN } from '../../../../test/fixtures/chain/testSpec.ts'
import { compileSolidity } from '../../../../test/fixtures/modules/compileSolidity.ts'
import { GOVERNOR, TIMELOCK, VOTES, createGovernanceHarness } from '../../../../test/fixtures/modules/governanceHarness.ts'
import { GOVERNOR_REFERENCE } from '../../../../test/fixtures/modules/ozReferences.ts'

type Row = { step: string; module: bigint; oz: bigint }

/** hashProposal's preimage: abi.encode(targets, values, calldatas, descriptionHash) */
const encodeAbi = (values: readonly unknown[]) =>
  encodeAbiParameters([{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }], values as never)

/** The same proposal through one governor: gas of each step. */
async function lifecycle(h: Awaited<ReturnType<typeof createGovernanceHarness>>, governor: Hex, abi: Abi, treasury: Hex) {
  const [alice, bob, carol, dave] = h.accounts.map((a) => a.hex) as [Hex, Hex, Hex, Hex]
  const send = async (fn: string, args: readonly unknown[], from: Hex) => {
    const exec = await h.raw(governor, encodeFunctionData({ abi, functionName: fn, args } as never), { from })
    if (exec.exceptionError !== undefined) throw new Error(`${fn} failed on ${governor}`)
    return exec.executionGasUsed
  }
  const setVotingPeriod = encodeFunctionData({ abi: governorAbi, functionName: 'setVotingPeriod', args: [2_000] })
  const ops = [
    [dave, governor],
    [5n * ONE_OPEN, 0n],
    ['0x', setVotingPeriod],
  ] as const
  const description = `pay dave and lengthen voting on ${governor}`
  const gas: Record<string, bigint> = {}
  const start = h.time
  gas['propose (2 calls)'] = await send('propose', [...ops, description], alice)
  const id = BigInt(keccak256(encodeAbi([...ops, keccak256(toHex(description))])))
  h.setTime(start + 101n)
  gas['castVote (first, reaches quorum)'] = await send('castVote', [id, 1], alice)
  gas['castVote (Against)'] = await send('castVote', [id, 0], bob)
  gas['castVote (Abstain)'] = await send('castVote', [id, 2], carol)
  h.setTime(start + 1_101n)
  gas.queue = await send('queue', [...ops, keccak256(toHex(description))], alice)
  h.setTime(start + 1_601n)
  gas['execute (payment + setting)'] = await send('execute', [...ops, keccak256(toHex(description))], alice)
  if ((await h.balance(treasury)) !== 995n * ONE_OPEN) throw new Error('the payment did not happen')
  return { id, gas }
}

async function main() {
  const governor = compileSolidity(GOVERNOR_REFERENCE.path, GOVERNOR_REFERENCE.name)
  const timelock = compileSolidity('@openzeppelin/contracts/governance/TimelockController.sol', 'TimelockController')
  const h = await createGovernanceHarness()
  const alice = h.accounts[0]!.hex
  await h.giveVotes(40n * ONE_OPEN, 30n * ONE_OPEN, 20n * ONE_OPEN, 10n * ONE_OPEN)
  const ozTimelock = await h.deploy(encodeDeployData({ abi: timelock.abi, bytecode: timelock.bytecode, args: [500n, [], [], alice] }))
  const ozGovernor = await h.deploy(
    encodeDeployData({ abi: governor.abi, bytecode: governor.bytecode, args: [VOTES, ozTimelock, 100, 1_000, 10n * ONE_OPEN, 25n, 300] }),
  )
  for (const role of ['PROPOSER_ROLE', 'EXECUTOR_ROLE', 'CANCELLER_ROLE']) {
    const id = keccak256(toHex(role))
    await h.raw(ozTimelock, encodeFunctionData({ abi: timelock.abi, functionName: 'grantRole', args: [id, ozGovernor] }))
  }
  await h.raw(ozTimelock, '0x', { value: 1_000n * ONE_OPEN })

  const ours = await lifecycle(h, GOVERNOR, governorAbi as unknown as Abi, TIMELOCK)
  const theirs = await lifecycle(h, ozGovernor, governor.abi as Abi, ozTimelock)
  const rows: Row[] = Object.keys(ours.gas).map((step) => ({ step, module: ours.gas[step]!, oz: theirs.gas[step]! }))
  const table = [
    '| step | module | OZ 5.7 Solidity | module / OZ |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.step} | ${r.module.toLocaleString('en')} | ${r.oz.toLocaleString('en')} | ${(Number(r.module) / Number(r.oz)).toFixed(2)} |`),
  ].join('\n')
  process.stdout.write(`${table}\n`)
  const results = new URL('../../../results/', import.meta.url)
  mkdirSync(results, { recursive: true })
  writeFileSync(new URL('governorGas.json', results), `${JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n`)
}

await main()
