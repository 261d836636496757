// The timelock module's definition: its ABI against ITimelock.sol compiled with solc (OZ's
// IAccessControl and receiver interfaces imported), the ERC-165 ids, the exported JSON ABI, and
// the genesis: roles for the governor only, self-administration, the delay and the treasury.
import { bytesToHex } from '@ethereumjs/util'
import t from 'tap'
import { encodeFunctionData, keccak256, toFunctionSelector, toHex } from 'viem'
import { timelockAbi } from '../../../../../runtime/index.ts'
import { compileModule } from '../../../../../runtime/modules/framework/compileModule.ts'
import { timelockModule } from '../../../../../runtime/modules/timelock/timelockModule.ts'
import { ONE_OPEN } from '../../../../fixtures/chain/testSpec.ts'
import { abiSignatures, compileSolidity } from '../../../../fixtures/modules/compileSolidity.ts'
import { GOVERNOR, TIMELOCK, createGovernanceHarness } from '../../../../fixtures/modules/governanceHarness.ts'
import { createGovernanceSpec } from '../../../../fixtures/modules/governanceSpec.ts'

const compiled = compileModule(timelockModule(createGovernanceSpec()))

const INTERFACE_IDS = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ITimelock} from "runtime/modules/timelock/ITimelock.sol";
contract InterfaceIds {
    function ids() external pure returns (bytes4, bytes4, bytes4) {
        return (type(IAccessControl).interfaceId, type(IERC1155Receiver).interfaceId, type(ITimelock).interfaceId);
    }
}`

t.test('the module ABI is exactly ITimelock.sol (with IAccessControl and the receiver hooks)', async (t) => {
  const iface = abiSignatures(compileSolidity('runtime/modules/timelock/ITimelock.sol', 'ITimelock').abi)
  const ours = abiSignatures(compiled.abi)
  t.same(
    iface.filter((s) => !ours.includes(s)),
    [],
    'nothing of the interface is missing or different',
  )
  t.same(
    ours.filter((s) => !iface.includes(s)),
    [],
    'and nothing more',
  )
  t.same(timelockAbi, compiled.abi, 'the exported timelockAbi is current (test/fixtures/modules/writeModuleAbis.ts)')
})

t.test('supportsInterface answers the ids OZ TimelockController answers, as solc computes them', async (t) => {
  const h = await createGovernanceHarness()
  const probe = compileSolidity('InterfaceIds.sol', 'InterfaceIds', INTERFACE_IDS)
  const at = await h.deploy(probe.bytecode)
  const out = (await h.raw(at, encodeFunctionData({ abi: probe.abi, functionName: 'ids' }))).returnValue
  const ids = [0, 1, 2].map((i) => bytesToHex(out.subarray(i * 32, i * 32 + 4)))
  for (const id of [...ids, '0x01ffc9a7']) t.equal(await h.read(TIMELOCK, 'supportsInterface', [id]), true, `supports ${id}`)
  t.equal(await h.read(TIMELOCK, 'supportsInterface', ['0xffffffff']), false)
})

t.test('genesis: the governor proposes, executes and cancels; only the timelock administers', async (t) => {
  const h = await createGovernanceHarness()
  const role = async (name: string) => (await h.read(TIMELOCK, name)) as `0x${string}`
  const [admin, proposer, executor, canceller] = [
    await role('DEFAULT_ADMIN_ROLE'),
    await role('PROPOSER_ROLE'),
    await role('EXECUTOR_ROLE'),
    await role('CANCELLER_ROLE'),
  ]
  t.equal(admin, toHex(0n, { size: 32 }))
  t.equal(proposer, keccak256(toHex('PROPOSER_ROLE')))
  t.equal(executor, keccak256(toHex('EXECUTOR_ROLE')))
  t.equal(canceller, keccak256(toHex('CANCELLER_ROLE')))
  const alice = h.accounts[0]!.hex
  const holders: [string, string, boolean][] = [
    [admin, TIMELOCK, true],
    [admin, GOVERNOR, false],
    [admin, alice, false],
    [proposer, GOVERNOR, true],
    [executor, GOVERNOR, true],
    [canceller, GOVERNOR, true],
    [proposer, alice, false],
    [executor, '0x0000000000000000000000000000000000000000', false],
  ]
  for (const [r, account, held] of holders) t.equal(await h.read(TIMELOCK, 'hasRole', [r, account]), held, `${account} ${held ? 'holds' : 'lacks'} ${r}`)
  for (const r of [admin, proposer, executor, canceller]) t.equal(await h.read(TIMELOCK, 'getRoleAdmin', [r]), admin)
  t.equal(await h.read(TIMELOCK, 'getMinDelay'), 500n)
  t.equal(await h.balance(TIMELOCK), 1_000n * ONE_OPEN)
  t.equal(await h.read(TIMELOCK, 'moduleVersion'), '1.0.0')
})

t.test('the treasury accepts OPEN and tokens', async (t) => {
  const h = await createGovernanceHarness()
  const plain = await h.raw(TIMELOCK, '0x', { value: 7n })
  t.equal(plain.exceptionError, undefined)
  t.equal(await h.balance(TIMELOCK), 1_000n * ONE_OPEN + 7n)
  const alice = h.accounts[0]!.hex
  const selector = toFunctionSelector('onERC721Received(address,address,uint256,bytes)')
  t.equal(await h.read(TIMELOCK, 'onERC721Received', [alice, alice, 1n, '0x']), selector)
})
