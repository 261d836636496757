// The exported vestingAbi is exactly the ABI the module is compiled to (vestingModule.test.ts
// checks that ABI against IVesting.sol), and viem encodes and decodes with it.
import t from 'tap'
import { decodeErrorResult, encodeFunctionData, toFunctionSelector } from 'viem'
import { vestingAbi } from '../../../../../runtime/index.ts'
import { compileModule } from '../../../../../runtime/modules/framework/compileModule.ts'
import { vestingModule } from '../../../../../runtime/modules/vesting/vestingModule.ts'
import { createTestSpec } from '../../../../fixtures/chain/testSpec.ts'

t.test('vestingAbi is the compiled module ABI, typed for viem', async (t) => {
  t.same(vestingAbi, compileModule(vestingModule(createTestSpec(), { lockedVotes: async () => {} })).abi)
  t.equal(encodeFunctionData({ abi: vestingAbi, functionName: 'release', args: [3n] }).slice(0, 10), toFunctionSelector('release(uint256)'))
  t.equal(decodeErrorResult({ abi: vestingAbi, data: toFunctionSelector('VestingNothingToRelease()') }).errorName, 'VestingNothingToRelease')
})
