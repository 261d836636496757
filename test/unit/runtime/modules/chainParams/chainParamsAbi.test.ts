// The exported chainParamsAbi is exactly the ABI the module is compiled to (the module's own
// test checks that ABI against IChainParams.sol), and viem encodes and decodes with it.
import t from 'tap'
import { decodeErrorResult, encodeErrorResult, encodeFunctionData, toFunctionSelector } from 'viem'
import { chainParamsAbi } from '../../../../../runtime/index.ts'
import { chainParamsModule } from '../../../../../runtime/modules/chainParams/chainParamsModule.ts'
import { compileModule } from '../../../../../runtime/modules/framework/compileModule.ts'
import { createTestSpec } from '../../../../fixtures/chain/testSpec.ts'

t.test('chainParamsAbi is the compiled module ABI, typed for viem', async (t) => {
  t.same(chainParamsAbi, compileModule(chainParamsModule(createTestSpec())).abi)
  t.equal(encodeFunctionData({ abi: chainParamsAbi, functionName: 'setBaseFeeShare', args: [5000] }).slice(0, 10), '0x0dd39a07', 'setBaseFeeShare(uint16)')
  const caller = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
  const data = encodeErrorResult({ abi: chainParamsAbi, errorName: 'ChainParamsUnauthorized', args: [caller] })
  t.same(decodeErrorResult({ abi: chainParamsAbi, data }).args, [caller])
  t.equal(
    decodeErrorResult({ abi: chainParamsAbi, data: toFunctionSelector('MalformedCalldata()') }).errorName,
    'MalformedCalldata',
    "the dispatcher's errors are in it",
  )
})
