import t from 'tap'
import { paramsTx, getMinimumGasLimit } from '@ethereumjs/tx'
import { bytesToHex } from '@ethereumjs/util'
import { createDecodeCommon, decodeTx } from '../../../runtime/index.ts'
import { makeCommon, testKey, tx1559, txLegacy, GWEI } from '../node/txpool/fakeChain.ts'

t.test('txs decoded with the decode Common equal those decoded with the chain Common', async (t) => {
  const common = makeCommon()
  const fast = createDecodeCommon(common)
  const raws = [
    tx1559(testKey(1), { nonce: 3n, data: new Uint8Array([0, 1, 2, 0, 0, 9]), gasLimit: 60_000n }).serialize(),
    txLegacy(testKey(2), { nonce: 0n, gasPrice: 2n * GWEI }).serialize(),
  ]
  for (const [i, raw] of raws.entries()) {
    const a = decodeTx(raw, common)
    const b = decodeTx(raw, fast)
    t.equal(bytesToHex(b.hash()), bytesToHex(a.hash()), `tx ${i} hash`)
    t.equal(b.getSenderAddress().toString(), a.getSenderAddress().toString(), `tx ${i} sender`)
    t.equal(b.getIntrinsicGas(), a.getIntrinsicGas(), `tx ${i} intrinsic gas`)
    t.equal(getMinimumGasLimit(b), getMinimumGasLimit(a), `tx ${i} minimum gas`)
    t.equal(b.common.chainId(), common.chainId(), `tx ${i} chain id`)
    t.equal(b.common.hardfork(), common.hardfork(), `tx ${i} hardfork`)
    for (const name of ['txGas', 'txDataZeroGas', 'txDataNonZeroGas', 'totalCostFloorPerToken', 'accessListAddressGas']) {
      t.equal(b.common.param(name), a.common.param(name), `tx ${i} param ${name}`)
    }
  }
  // other dictionaries still merge for real
  const copy = fast.copy()
  copy.updateParams({ 1: { txGas: 123 } })
  t.equal(copy.param('txGas'), 123n, 'a different dictionary is applied')
  copy.updateParams(paramsTx)
  t.equal(fast.param('txGas'), 21_000n, 'the decode Common keeps its value')
})
