import t from 'tap'
import { createBlockHeader } from '@ethereumjs/block'
import { Common, Hardfork, Mainnet } from '@ethereumjs/common'
import { fakeExponential, l1BlobBaseFee, PRAGUE_BLOB_BASE_FEE_UPDATE_FRACTION } from '../../../../node/l1/index.ts'

t.test('fakeExponential: the EIP-4844 vectors (geth eip4844_test.go TestFakeExponential)', async (t) => {
  const vectors: [bigint, bigint, bigint, bigint][] = [
    [1n, 0n, 1n, 1n],
    [38493n, 0n, 1000n, 38493n],
    [0n, 1234n, 2345n, 0n],
    [1n, 2n, 1n, 6n],
    [1n, 4n, 2n, 6n],
    [1n, 3n, 1n, 16n],
    [1n, 6n, 2n, 18n],
    [1n, 4n, 1n, 49n],
    [1n, 8n, 2n, 50n],
    [10n, 8n, 2n, 542n],
    [11n, 8n, 2n, 596n],
    [1n, 5n, 1n, 136n],
    [1n, 5n, 2n, 11n],
    [2n, 5n, 2n, 23n],
    [1n, 50_000_000n, 2_225_652n, 5_709_098_764n],
  ]
  for (const [factor, numerator, denominator, want] of vectors) {
    t.equal(fakeExponential(factor, numerator, denominator), want, `fake_exponential(${factor}, ${numerator}, ${denominator})`)
  }
})

t.test("l1BlobBaseFee equals ethereumjs' Prague header blob gas price", async (t) => {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Prague })
  for (const excessBlobGas of [0n, 131_072n, 3_932_160n, 10_000_000n, 50_000_000n, 123_456_789n]) {
    const header = createBlockHeader({ number: 1n, excessBlobGas, blobGasUsed: 0n, baseFeePerGas: 7n }, { common })
    t.equal(l1BlobBaseFee(excessBlobGas, PRAGUE_BLOB_BASE_FEE_UPDATE_FRACTION), header.getBlobGasPrice(), `excessBlobGas ${excessBlobGas}`)
  }
  t.equal(l1BlobBaseFee(undefined, PRAGUE_BLOB_BASE_FEE_UPDATE_FRACTION), 1n, 'no blob fields: 1')
})
