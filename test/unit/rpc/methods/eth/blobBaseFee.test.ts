// eth_blobBaseFee from the head's excessBlobGas (EIP-4844 formula), eth_baseFee of the next block.
import { createBlock } from '@ethereumjs/block'
import t from 'tap'
import { calcNextBaseFee } from '../../../../../runtime/index.ts'
import { toQuantity } from '../../../../../rpc/index.ts'
import { startHarness } from '../../../../fixtures/rpc/harness.ts'

t.test('eth_blobBaseFee: the minimum while no blob gas is in excess, the formula otherwise', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  t.equal(h.backend.head().header.excessBlobGas, 0n, 'Prague headers carry excessBlobGas, fixed at 0 here')
  t.same((await h.rpc('eth_blobBaseFee')).result, '0x1', 'geth for excess 0; op-geth on every OP Stack block')
  // fake_exponential(1, excess, 5007716): e^1 at excess = fraction (EIP-4844 test vector style)
  const head = h.backend.head()
  const excessive = createBlock(
    { header: { ...head.header.toJSON(), number: '0x1', parentHash: head.hash(), excessBlobGas: '0x4c6964' } },
    { common: h.backend.common },
  )
  h.backend.blocks.push(excessive)
  t.same((await h.rpc('eth_blobBaseFee')).result, '0x2', 'fake_exponential(1, 5007716, 5007716) = floor(e) = 2')
  t.same((await h.rpc('eth_blobBaseFee', [1])).error?.code, -32602, 'takes no params')
})

t.test('eth_baseFee: the next block base fee by the chain spec rules', async (t) => {
  const h = await startHarness()
  t.teardown(() => h.close())
  const head = h.backend.head().header
  t.equal((await h.rpc('eth_baseFee')).result, toQuantity(calcNextBaseFee(head, h.backend.baseFeeParams)))
  await h.backend.sendTransaction(h.backend.signedTransfer(0, 0n, `0x${'11'.repeat(20)}`, 1n))
  h.backend.mine()
  t.equal((await h.rpc('eth_baseFee')).result, toQuantity(calcNextBaseFee(h.backend.head().header, h.backend.baseFeeParams)))
})
