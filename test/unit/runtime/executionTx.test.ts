import t from 'tap'
import { equalsBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { createChainCommon } from '../../../runtime/index.ts'
import { executionTx } from '../../../runtime/block/executionTx.ts'
import { createTestSpec, signed1559, testAccounts } from '../../fixtures/chain/testSpec.ts'

t.test('executionTx: same tx, sender hashed once', async (t) => {
  const [from, to] = testAccounts(2) as [ReturnType<typeof testAccounts>[0], ReturnType<typeof testAccounts>[0]]
  const common = createChainCommon(createTestSpec())
  const tx = signed1559(common, from, { nonce: 3n, to: to.address, value: 5n })
  let hashed = 0
  const keccak = (data: Uint8Array): Uint8Array => {
    hashed++
    return keccak_256(data)
  }
  const view = executionTx(tx, keccak)
  t.ok(view.getSenderAddress().equals(tx.getSenderAddress()), 'sender')
  t.ok(view.getSenderAddress().equals(from.address), 'sender is the signer')
  t.ok(Object.isFrozen(view), 'frozen like the tx (ethereumjs caches only on frozen txs)')
  t.ok(equalsBytes(view.hash(), tx.hash()), 'hash')
  t.ok(equalsBytes(view.serialize(), tx.serialize()), 'encoding')
  t.equal(view.getIntrinsicGas(), tx.getIntrinsicGas(), 'intrinsic gas')
  t.equal(view.nonce, 3n, 'fields')
  executionTx(tx, keccak).getSenderAddress()
  t.equal(hashed, 1, 'the public key is hashed once per tx object')
})
