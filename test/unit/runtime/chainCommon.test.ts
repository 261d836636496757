import t from 'tap'
import { Common } from '@ethereumjs/common'
import { createChainCommon } from '../../../runtime/index.ts'
import { createTestSpec } from '../../fixtures/chain/testSpec.ts'

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
