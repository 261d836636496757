// Gossiped txs go through the pool's own admission: accepted when admitted, rejected when invalid in
// themselves (the sender's peer is at fault), ignored when refused for this node's state.
import t from 'tap'
import { createTxPool, txGossipVerdict } from '../../../../node/txpool/index.ts'
import { GWEI, createFakeChain, testKey, tx1559 } from './fakeChain.ts'

const A = testKey(1)

t.test('txGossipVerdict: accept, ignore for state, reject for invalid', async (t) => {
  const chain = await createFakeChain({ keys: [A] })
  const pool = await createTxPool({ chain })
  t.teardown(() => pool.close())
  const a0 = tx1559(A, { nonce: 0n, tip: 1n * GWEI })
  t.equal(await txGossipVerdict(pool, a0.serialize()), 'accept', 'a valid tx is admitted')
  t.ok(pool.get(a0.hash()), 'and pooled')
  t.equal(await txGossipVerdict(pool, a0.serialize()), 'ignore', 'already known: ignored, not the peer’s fault')
  t.equal(await txGossipVerdict(pool, tx1559(testKey(9), { nonce: 0n }).serialize()), 'ignore', 'no funds here: a state question')
  t.equal(await txGossipVerdict(pool, new Uint8Array([0x02, 0xc0, 0x01])), 'reject', 'garbage bytes')
  const otherChain = tx1559(A, { nonce: 1n, chainId: 999n })
  t.equal(await txGossipVerdict(pool, otherChain.serialize()), 'reject', 'signed for another chain')
  const lowGas = tx1559(A, { nonce: 1n, gasLimit: 20_000n })
  t.equal(await txGossipVerdict(pool, lowGas.serialize()), 'reject', 'gas limit below intrinsic gas')
  await pool.close()
  t.equal(await txGossipVerdict(pool, tx1559(A, { nonce: 1n }).serialize()), 'ignore', 'a closed pool ignores')
})
