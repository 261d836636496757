// The chain Common: isActivatedEIP from a Set, and the decode Common (tx parameter merge once).
import t from 'tap'
import { Common } from '@ethereumjs/common'
import { createChainCommon, createDecodeCommon, decodeTx } from '../../../runtime/index.ts'
import { createTestSpec } from '../../fixtures/chain/testSpec.ts'
import { paramsTx, getMinimumGasLimit } from '@ethereumjs/tx'
import { bytesToHex } from '@ethereumjs/util'
import { makeCommon, testKey, tx1559, txLegacy, GWEI } from '../node/txpool/fakeChain.ts'

const MAX_EIP = 10_000

function mismatches(common: Common): number[] {
  const out: number[] = []
  for (let eip = 0; eip <= MAX_EIP; eip++) {
    if (common.isActivatedEIP(eip) !== Common.prototype.isActivatedEIP.call(common, eip)) out.push(eip)
  }
  return out
}

t.test('the chain Common answers isActivatedEIP exactly as ethereumjs Common does', async (t) => {
  const common = createChainCommon(createTestSpec())
  t.ok(common.isActivatedEIP(1559) && common.isActivatedEIP(2929) && common.isActivatedEIP(7702), 'Prague-era EIPs active')
  t.notOk(common.isActivatedEIP(9999), 'an unknown EIP is inactive')
  t.same(mismatches(common), [], 'at the chain hardfork')
  const copy = common.copy()
  t.same(mismatches(copy), [], 'on a copy')
  copy.setHardfork('london')
  t.notOk(copy.isActivatedEIP(7702), 'the copy follows its own hardfork change')
  t.same(mismatches(copy), [], 'after a hardfork change')
  t.ok(common.isActivatedEIP(7702), 'the original is unaffected')
  t.same(mismatches(common), [], 'original after the copy changed')
})

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
