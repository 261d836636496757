import t from 'tap'
import { createAddressFromString } from '@ethereumjs/util'
import { createBlockFromRLP } from '@ethereumjs/block'
import { buildLinearBlock, calcNextBaseFee, chainParams, defaultLinearBuildOptions, executeBlock } from '../../../../runtime/index.ts'
import { memoryRuntime } from '../../../fixtures/chain/memoryChain.ts'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'

const eth = { initial: 1_000_000_000n, maxChangeDenominator: 8n, elasticityMultiplier: 2n }

t.test('EIP-1559 arithmetic', async (t) => {
  const h = (gasUsed: bigint, baseFeePerGas: bigint) => ({ gasLimit: 30_000_000n, gasUsed, baseFeePerGas })
  t.equal(calcNextBaseFee(h(15_000_000n, 1_000_000_000n), eth), 1_000_000_000n, 'at target: unchanged')
  t.equal(calcNextBaseFee(h(30_000_000n, 1_000_000_000n), eth), 1_125_000_000n, 'full: +12.5%')
  t.equal(calcNextBaseFee(h(0n, 1_000_000_000n), eth), 875_000_000n, 'empty: -12.5%')
  t.equal(calcNextBaseFee(h(15_000_001n, 7n), eth), 8n, 'increase is at least 1 wei')
  t.equal(calcNextBaseFee(h(0n, 7n), eth), 7n, 'tiny base fee: delta rounds to 0')
  t.equal(calcNextBaseFee(h(0n, 1n), { ...eth, maxChangeDenominator: 1n }), 0n, 'never below 0')
  const op = { initial: 1n, maxChangeDenominator: 50n, elasticityMultiplier: 6n }
  t.equal(calcNextBaseFee(h(30_000_000n, 1_000_000_000n), op), 1_100_000_000n, 'elasticity 6 / denominator 50: full block +10%')
})

t.test("the spec's parameters hold through build and re-validation", async (t) => {
  const accounts = testAccounts(3, 'basefee')
  const spec = {
    ...createTestSpec({ accounts, gasLimit: 126_000n }),
    baseFee: { initial: 1_000_000_000n, maxChangeDenominator: 50n, elasticityMultiplier: 6n },
  }
  const { runtime, reader, genesis } = await memoryRuntime(spec)
  const { runtime: validator, reader: vReader } = await memoryRuntime(spec)
  let parent = genesis
  for (let b = 1; b <= 3; b++) {
    const txs = accounts.map((a) => signed1559(runtime.common, a, { nonce: BigInt(b - 1), to: createAddressFromString('0x' + '99'.repeat(20)), value: 1n }))
    const { block } = await buildLinearBlock(runtime, parent.header, txs, { ...defaultLinearBuildOptions, timestamp: parent.header.timestamp + 1n })
    t.equal(block.header.baseFeePerGas, calcNextBaseFee(parent.header, spec.baseFee), `block ${b}: base fee from the spec's rules`)
    t.equal(block.header.calcNextBaseFee(), calcNextBaseFee(block.header, spec.baseFee), `block ${b}: the header's own calcNextBaseFee agrees`)
    reader.add(block.header)
    const decoded = createBlockFromRLP(block.serialize(), { common: validator.common, params: chainParams(spec) })
    await executeBlock(validator, decoded)
    vReader.add(decoded.header)
    parent = block
  }
  // 3 x 21,000 = 63,000 of 126,000: above the 21,000 target (elasticity 6), so the fee rose
  t.ok((parent.header.baseFeePerGas ?? 0n) > 1_000_000_000n)
})
