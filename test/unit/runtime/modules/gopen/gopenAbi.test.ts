// GOPEN's ABI against its Solidity interface: IGOPEN.sol (which extends OpenZeppelin 5.7's
// IERC20Metadata, IERC20Permit, IERC5805, IERC5267, IERC20Errors and IRuntimeModule) compiled
// with solc; every item of it is in the module's ABI with the same signature and mutability,
// and the exported `gopenAbi` is exactly the ABI the module is compiled to.
import t from 'tap'
import { encodeFunctionData } from 'viem'
import { gopenAbi } from '../../../../../runtime/index.ts'
import { compileModule } from '../../../../../runtime/modules/framework/compileModule.ts'
import { gopenModule } from '../../../../../runtime/modules/gopen/gopenModule.ts'
import { createTestSpec } from '../../../../fixtures/chain/testSpec.ts'
import { abiItemKey, compileInterfaceAbi } from '../../../../fixtures/modules/interfaceAbi.ts'

const compiled = compileModule(gopenModule(createTestSpec()))

t.test('the module ABI has every function, event and error of IGOPEN.sol', async (t) => {
  const iface = compileInterfaceAbi('runtime/modules/gopen/IGOPEN.sol', 'IGOPEN')
  const mine = new Set(compiled.abi.map((i) => abiItemKey(i as never)))
  const keys = iface.map(abiItemKey)
  for (const key of keys) t.ok(mine.has(key), key)
  // the interface's own selectors, the well-known ones included
  for (const sig of [
    'function checkpoints(address,uint32) view returns ((uint48,uint208))',
    'function CLOCK_MODE() view returns (string)',
    'function deposit() payable returns ()',
  ]) {
    t.ok(
      keys.some((k) => k === sig),
      `IGOPEN.sol declares ${sig}`,
    )
  }
  const extra = [...mine].filter((k) => !keys.includes(k))
  t.same(extra, ['error Panic(uint256)'], 'only the built-in Panic is beyond the interface')
})

t.test('gopenAbi is the compiled module ABI, typed for viem', async (t) => {
  t.same(gopenAbi, compiled.abi)
  t.equal(compiled.definition.interfaceName, 'IGOPEN')
  // the struct output parses into a tuple viem encodes against
  const data = encodeFunctionData({ abi: gopenAbi, functionName: 'checkpoints', args: ['0x4f50454e00000000000000000000000000001002', 3] })
  t.equal(data.slice(0, 10), '0xf1127ed8', "ERC20Votes' checkpoints(address,uint32) selector")
  const checkpoints = gopenAbi.find((i) => i.type === 'function' && i.name === 'checkpoints')
  t.same(checkpoints?.type === 'function' ? checkpoints.outputs : undefined, [
    {
      type: 'tuple',
      components: [
        { type: 'uint48', name: '_key' },
        { type: 'uint208', name: '_value' },
      ],
    },
  ])
})
