// The governor module's definition: its ABI against the Solidity interface compiled with solc
// (OpenZeppelin's IGovernor imported), the ERC-165 ids OZ answers, the exported JSON ABI,
// the genesis parameters and the deposits it refuses.
import t from 'tap'
import { bytesToHex } from '@ethereumjs/util'
import { decodeErrorResult, encodeFunctionData, getAddress, toHex } from 'viem'
import type { Hex } from '../../../../../genesis/index.ts'
import { governorAbi, runtimeModules } from '../../../../../runtime/index.ts'
import { compileModule } from '../../../../../runtime/modules/framework/compileModule.ts'
import { governorModule } from '../../../../../runtime/modules/governor/governorModule.ts'
import { ONE_OPEN } from '../../../../fixtures/chain/testSpec.ts'
import { abiSignatures, compileSolidity } from '../../../../fixtures/modules/compileSolidity.ts'
import { ALL_ABIS, GOVERNOR, TIMELOCK, VOTES, createGovernanceHarness } from '../../../../fixtures/modules/governanceHarness.ts'
import { createGovernanceSpec } from '../../../../fixtures/modules/governanceSpec.ts'

const spec = createGovernanceSpec()
const compiled = compileModule(governorModule(spec))

const INTERFACE_IDS = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IOpenLedgerGovernor} from "runtime/modules/governor/IOpenLedgerGovernor.sol";
contract InterfaceIds {
    function ids() external pure returns (bytes4, bytes4, bytes4, bytes4) {
        return (
            type(IGovernor).interfaceId,
            type(IGovernor).interfaceId ^ IGovernor.getProposalId.selector,
            type(IERC1155Receiver).interfaceId,
            type(IOpenLedgerGovernor).interfaceId
        );
    }
}`

t.test('the module ABI has every function, event and error of IOpenLedgerGovernor.sol, signatures identical', async (t) => {
  const iface = compileSolidity('runtime/modules/governor/IOpenLedgerGovernor.sol', 'IOpenLedgerGovernor')
  const ours = new Set(abiSignatures(compiled.abi))
  const missing = abiSignatures(iface.abi).filter((s) => !ours.has(s))
  t.same(missing, [], 'nothing of the interface is missing or different')
  const extra = [...ours].filter((s) => !abiSignatures(iface.abi).includes(s))
  t.same(extra, [], 'and the module offers nothing the interface does not declare')
  t.equal(compiled.definition.functions.length + 2, compiled.functions.size, 'no two functions share a selector')
})

t.test('the exported governorAbi is the module ABI', async (t) => {
  t.same(governorAbi, compiled.abi, 'regenerate with test/fixtures/modules/writeModuleAbis.ts')
  const addresses = runtimeModules(spec).map((m) => m.address)
  t.same(addresses, [...addresses].sort(), 'registered in address order')
  t.ok(addresses.includes(GOVERNOR) && addresses.includes(TIMELOCK))
})

t.test('supportsInterface answers the ids OZ Governor answers, as solc computes them', async (t) => {
  const h = await createGovernanceHarness()
  const probe = compileSolidity('InterfaceIds.sol', 'InterfaceIds', INTERFACE_IDS)
  const at = await h.deploy(probe.bytecode)
  const exec = await h.raw(at, encodeFunctionData({ abi: probe.abi, functionName: 'ids' }))
  const word = (i: number) => bytesToHex(exec.returnValue.subarray(i * 32, i * 32 + 4))
  const [governor, legacy, receiver, own] = [word(0), word(1), word(2), word(3)]
  t.equal(governor, '0xcdbdfcee')
  for (const id of [governor, legacy, receiver, own, '0x01ffc9a7']) t.equal(await h.read(GOVERNOR, 'supportsInterface', [id]), true, `supports ${id}`)
  t.equal(await h.read(GOVERNOR, 'supportsInterface', ['0xffffffff']), false)
})

t.test('genesis parameters and views', async (t) => {
  const h = await createGovernanceHarness()
  const r = (name: string, args: readonly unknown[] = []) => h.read(GOVERNOR, name, args)
  t.equal(await r('name'), 'OpenLedgerGovernor')
  t.equal(await r('version'), '1')
  t.equal(await r('moduleVersion'), '1.0.0')
  t.equal(await r('COUNTING_MODE'), 'support=bravo&quorum=for,abstain')
  t.equal(await r('votingDelay'), 100n)
  t.equal(await r('votingPeriod'), 1_000n)
  t.equal(await r('proposalThreshold'), 10n * ONE_OPEN)
  t.equal(await r('lateQuorumVoteExtension'), 300)
  t.equal(await r('quorumNumerator'), 2_500n)
  t.equal(await r('quorumDenominator'), 10_000n)
  t.equal(await r('token'), getAddress(VOTES))
  t.equal(await r('timelock'), getAddress(TIMELOCK))
  t.equal(await r('clock'), Number(h.time), 'the token clock: block.timestamp')
  t.equal(await r('CLOCK_MODE'), 'mode=timestamp')
  t.same(await r('eip712Domain'), ['0x0f', 'OpenLedgerGovernor', '1', 1337n, getAddress(GOVERNOR), toHex(0n, { size: 32 }), []])
  t.equal(await h.balance(TIMELOCK), 1_000n * ONE_OPEN, 'the treasury is credited to the timelock')
})

t.test('the governor refuses OPEN and tokens: its executor is the timelock', async (t) => {
  const h = await createGovernanceHarness()
  const plain = await h.raw(GOVERNOR, '0x', { value: 1n })
  t.equal(decodeErrorResult({ abi: ALL_ABIS, data: bytesToHex(plain.returnValue) as Hex }).errorName, 'GovernorDisabledDeposit')
  const alice = h.accounts[0]!.hex
  await h.expectRevert(t, GOVERNOR, 'onERC721Received', [alice, alice, 1n, '0x'], 'GovernorDisabledDeposit')
  await h.expectRevert(t, GOVERNOR, 'onERC1155BatchReceived', [alice, alice, [1n], [1n], '0x'], 'GovernorDisabledDeposit')
})

t.test('genesis refuses parameters OZ constructors refuse', async (t) => {
  const genesisOf = (g: object) => () => governorModule(createGovernanceSpec({}, g)).genesis!(createGovernanceSpec({}, g))
  t.throws(genesisOf({ votingPeriod: 0n }), /votingPeriod/)
  t.throws(genesisOf({ lateQuorumExtension: 1_001n }), /lateQuorumExtension/)
  t.throws(genesisOf({ quorumBps: 10_001 }), /quorumBps/)
  t.throws(genesisOf({ votingDelay: 1n << 48n }), /votingDelay/)
  t.doesNotThrow(genesisOf({}))
})
