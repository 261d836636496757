// Governed chain parameters: the module's rules (governance only, bounds, from the next block),
// and the runtime reading them each block: a base-fee split and a gas limit changed in block n
// shape block n + 1's header and fee credit, on the builder and on a validator alike.
import { createBlock } from '@ethereumjs/block'
import type { BlockHeader } from '@ethereumjs/block'
import { MapDB, bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { AbiError, AbiFunction } from 'ox'
import t from 'tap'
import type { Hex } from '../../../../../genesis/index.ts'
import {
  MODULE_ADDRESSES,
  buildLinearBlock,
  createChainCommon,
  createRuntimeVm,
  defaultLinearBuildOptions,
  defaultRuntimeVmOptions,
  executeBlock,
  readBlockParams,
  writeGenesisState,
  createGenesisBlock,
} from '../../../../../runtime/index.ts'
import { chainParamsModule } from '../../../../../runtime/modules/chainParams/chainParamsModule.ts'
import { compileModule } from '../../../../../runtime/modules/framework/compileModule.ts'
import { MemoryChainReader } from '../../../../fixtures/chain/memoryChain.ts'
import { BASE_FEE_RECIPIENT, PRIORITY_FEE_RECIPIENT, createTestSpec, signed1559, testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { TEST_GOVERNANCE, createModuleVm } from '../../../../fixtures/modules/moduleVm.ts'
import type { CallOptions } from '../../../../fixtures/modules/moduleVm.ts'
import { abiItemKey, compileInterfaceAbi } from '../../../../fixtures/modules/interfaceAbi.ts'

const abiSignatures = (abi: readonly unknown[]) =>
  (abi as Parameters<typeof abiItemKey>[0][])
    .filter((i) => i.type !== 'constructor')
    .map(abiItemKey)
    .sort()

const PARAMS = MODULE_ADDRESSES.chainParams
const TIMELOCK = MODULE_ADDRESSES.timelock
const [alice, bob] = testAccounts(2)
const spec = createTestSpec({ accounts: [alice!, bob!], governance: TEST_GOVERNANCE })
const abi = compileModule(chainParamsModule(spec)).abi
const fn = (name: string) => AbiFunction.fromAbi(abi as never, name as never) as AbiFunction.AbiFunction
const data = (name: string, args: readonly unknown[] = []) => AbiFunction.encodeData(fn(name), args as never)
const errorName = (r: { returnValue: Uint8Array }) => {
  for (const item of abi as { type: string; name: string }[]) {
    if (item.type === 'error' && bytesToHex(r.returnValue).startsWith(AbiError.getSelector(item as AbiError.AbiError))) return item.name
  }
  return undefined
}

t.test('the ABI is IChainParams.sol', async (t) => {
  const sol = abiSignatures(compileInterfaceAbi('runtime/modules/chainParams/IChainParams.sol', 'IChainParams'))
  const ours = abiSignatures(abi)
  for (const sig of sol) t.ok(ours.includes(sig), sig)
})

t.test('genesis values, governance-only setters, bounds, and changes from the next block', async (t) => {
  const moduleVm = await createModuleVm({ spec })
  // each call runs in the next block: 1, 2, 3, ...
  let number = 0n
  const vm = {
    call: async (to: Hex, input: Hex, opts: CallOptions) => (await moduleVm.call(to, input, { ...opts, number: ++number })).exec,
    runtime: moduleVm.runtime,
  }
  const read = async (name: 'blockParams' | 'nextBlockParams') =>
    AbiFunction.decodeResult(fn(name), bytesToHex((await vm.call(PARAMS, data(name), { caller: alice!.hex })).returnValue) as Hex) as unknown[]
  t.same(await read('blockParams'), [spec.gasLimit, 8n, 2n, BASE_FEE_RECIPIENT, PRIORITY_FEE_RECIPIENT, 10_000])
  const denied = await vm.call(PARAMS, data('setBaseFeeShare', [2_500]), { caller: alice!.hex })
  t.equal(errorName(denied), 'ChainParamsUnauthorized')
  t.equal(errorName(await vm.call(PARAMS, data('setBaseFeeShare', [10_001]), { caller: TIMELOCK })), 'ChainParamsInvalidValue')
  t.equal(errorName(await vm.call(PARAMS, data('setGasLimit', [20_999n]), { caller: TIMELOCK })), 'ChainParamsInvalidValue')
  t.equal(errorName(await vm.call(PARAMS, data('setBaseFeeParams', [0n, 2n]), { caller: TIMELOCK })), 'ChainParamsInvalidValue')
  t.equal(
    errorName(await vm.call(PARAMS, data('setFeeRecipients', ['0x0000000000000000000000000000000000000000', bob!.hex]), { caller: TIMELOCK })),
    'ChainParamsInvalidValue',
  )
  const ok = await vm.call(PARAMS, data('setBaseFeeShare', [2_500]), { caller: TIMELOCK })
  t.equal(ok.exceptionError, undefined)
  t.equal(ok.logs?.length, 1, 'ChainParameterChanged')
  // the module VM numbers its calls 1, 2, ...: this read runs in a later block, after the change applied
  t.same((await read('blockParams'))[5], 2_500, 'in force in the next block')
  await vm.call(PARAMS, data('setGasLimit', [40_000_000n]), { caller: TIMELOCK })
  const state = vm.runtime.stateManager
  t.equal((await readBlockParams(state, spec, number)).gasLimit, spec.gasLimit, 'the block that made the change keeps its gas limit')
  t.equal((await readBlockParams(state, spec, number + 1n)).gasLimit, 40_000_000n, 'the next one has the new one')
  t.equal((await readBlockParams(state, spec, number + 1n)).baseFeeShareBps, 2_500n, 'an earlier change stays in force')
})

t.test('a base-fee split and gas limit set in block n govern block n + 1 on builder and validator', async (t) => {
  const common = createChainCommon(spec)
  const reader = new MemoryChainReader()
  const stateDb = new MapDB<string, string | Uint8Array>()
  const builder = await createRuntimeVm({ ...defaultRuntimeVmOptions, spec, common, chain: reader, stateDb })
  const root = await writeGenesisState(builder.stateManager, spec)
  const genesis = createGenesisBlock(spec, common, root)
  reader.add(genesis.header)
  const validator = await createRuntimeVm({ ...defaultRuntimeVmOptions, spec, common, chain: reader, stateDb })

  // block 1: governance's change is a call of the timelock inside block 1 (the governor's execute
  // makes exactly this call); model it on the builder's state as the block's first effect
  const b1 = await buildLinearBlock(builder, genesis.header, [signed1559(common, alice!, { nonce: 0n, to: bob!.address, value: 1n })], {
    ...defaultLinearBuildOptions,
    timestamp: spec.timestamp + 1n,
  })
  reader.add(b1.block.header)
  const recipients = async (rt: typeof builder) => {
    const get = async (a: Hex) => (await rt.stateManager.getAccount(createAddressFromString(a)))?.balance ?? 0n
    return { base: await get(BASE_FEE_RECIPIENT), priority: await get(PRIORITY_FEE_RECIPIENT) }
  }
  const before = await recipients(builder)
  t.ok(before.base > 0n, 'block 1: the whole base fee to the base-fee recipient (share 10,000)')
  const env = createBlock({ header: { number: 1n, timestamp: spec.timestamp + 1n, gasLimit: spec.gasLimit } }, { common })
  await builder.stateManager.checkpoint()
  for (const call of [data('setBaseFeeShare', [2_500]), data('setGasLimit', [40_000_000n])]) {
    const r = await builder.vm.evm.runCall({
      block: env,
      caller: createAddressFromString(TIMELOCK),
      to: createAddressFromString(PARAMS),
      data: hexToBytes(call),
      skipNonceIncrement: true,
    })
    t.equal(r.execResult.exceptionError, undefined)
  }
  // end the bare calls as runTx ends a tx (EIP-161 cleanup of the touched accounts)
  await builder.vm.evm.journal.cleanup()
  await builder.stateManager.commit()
  const parent: BlockHeader = createBlock({ header: { ...b1.block.header.toJSON(), stateRoot: await builder.stateManager.getStateRoot() } }, { common }).header
  reader.add(parent)

  const tx = signed1559(common, alice!, { nonce: 1n, to: bob!.address, value: 1n, maxPriorityFeePerGas: 0n })
  const b2 = await buildLinearBlock(builder, parent, [tx], { ...defaultLinearBuildOptions, timestamp: spec.timestamp + 2n })
  t.equal(b2.block.header.gasLimit, 40_000_000n, 'the header carries the new gas limit')
  const after = await recipients(builder)
  const fee = (b2.block.header.baseFeePerGas ?? 0n) * 21_000n
  t.equal(after.base - before.base, fee / 4n, '25% of the base fee to the base-fee recipient')
  t.equal(after.priority - before.priority, fee - fee / 4n, 'the rest to the priority-fee recipient, no wei lost')

  // a validator on the same pre-state derives the same rules and the same post-state root
  await validator.stateManager.setStateRoot(parent.stateRoot)
  const executed = await executeBlock(validator, b2.block)
  t.equal(bytesToHex(executed.block.header.stateRoot), bytesToHex(b2.block.header.stateRoot))
  // and refuses a block that keeps the old gas limit
  await validator.stateManager.setStateRoot(parent.stateRoot)
  const stale = createBlock({ header: { ...b2.block.header.toJSON(), gasLimit: spec.gasLimit } }, { common })
  await t.rejects(executeBlock(validator, stale), { code: 'BLOCK_ERROR_INVALID_GAS_LIMIT' })
})
