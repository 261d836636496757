import t from 'tap'
import type { Test } from 'tap'
import { mkdtemp, rm, appendFile, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFeeMarket1559Tx, createLegacyTx } from '@ethereumjs/tx'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { RLP } from '@ethereumjs/rlp'
import { Mainnet, createCustomCommon } from '@ethereumjs/common'
import { TX_ERROR } from '../../../../runtime/index.ts'
import { createTxPool, defaultTxPoolOptions, TXPOOL_ERROR } from '../../../../node/txpool/index.ts'
import type { TxPool } from '../../../../node/txpool/index.ts'
import { GWEI, addressOf, createFakeChain, makeCommon, testKey, tx1559, txLegacy } from './fakeChain.ts'

const KEYS = [1, 2, 3, 4, 5].map(testKey)
const [A, B, C] = KEYS as [Uint8Array, Uint8Array, Uint8Array]

async function rejects(t: Test, p: Promise<unknown>, code: string, name: string): Promise<void> {
  await t.rejects(p, { code }, name)
}

function hexes(txs: { hash(): Uint8Array }[]): string[] {
  return txs.map((x) => bytesToHex(x.hash()))
}

t.test('pending across senders by effective tip, nonce order within a sender', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain })
  t.teardown(() => pool.close())
  const a0 = tx1559(A, { nonce: 0n, tip: 1n * GWEI })
  const a1 = tx1559(A, { nonce: 1n, tip: 5n * GWEI })
  const b0 = tx1559(B, { nonce: 0n, tip: 3n * GWEI })
  const c0 = tx1559(C, { nonce: 0n, tip: 2n * GWEI })
  for (const tx of [a1, a0, b0, c0]) await pool.addRaw(tx.serialize())
  t.same(pool.status(), { pending: 4, queued: 0 })
  const baseFee = chain.head().header.calcNextBaseFee()
  // a1 pays most but needs a0 first; a0 (1 gwei) is the cheapest head
  t.same(hexes(pool.pendingForBlock(baseFee)), hexes([b0, c0, a0, a1]))
  // the pooled tx keeps its recovered sender
  const pooled = pool.get(a0.hash())
  t.equal(bytesToHex(pooled!.sender), bytesToHex(addressOf(A)))
  t.equal(pooled!.size, a0.serialize().length)
  // fee cap below the base fee blocks the sender (max fee 10 gwei < 20 gwei)
  t.same(hexes(pool.pendingForBlock(20n * GWEI)), [])
  // a gas budget for two transfers: b0 then c0
  t.same(hexes(pool.pendingForBlock(baseFee, { gasLimit: 42_000n })), hexes([b0, c0]))
  t.same(hexes(pool.pendingForBlock(baseFee, { maxTxs: 1 })), hexes([b0]))
})

t.test('nonce gaps are queued and promoted when filled', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain })
  t.teardown(() => pool.close())
  const announced: string[] = []
  pool.on('pending', (p) => announced.push(bytesToHex(p.hash)))
  const a2 = tx1559(A, { nonce: 2n })
  const a1 = tx1559(A, { nonce: 1n })
  const a0 = tx1559(A, { nonce: 0n })
  await pool.addRaw(a2.serialize())
  await pool.addRaw(a1.serialize())
  t.same(pool.status(), { pending: 0, queued: 2 })
  t.same(announced, [])
  t.same(pool.pendingForBlock(0n), [])
  await pool.addRaw(a0.serialize())
  t.same(pool.status(), { pending: 3, queued: 0 })
  t.same(announced, hexes([a0, a1, a2]))
  const content = pool.content()
  t.same([...content.pending.keys()], [bytesToHex(addressOf(A))])
  t.same(hexes(content.pending.get(bytesToHex(addressOf(A)))!.map((p) => p.tx)), hexes([a0, a1, a2]))
})

t.test('replacement needs a 10% bump of both fee caps', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain })
  t.teardown(() => pool.close())
  const orig = tx1559(A, { nonce: 0n, maxFee: 100n * GWEI, tip: 10n * GWEI })
  await pool.addRaw(orig.serialize())
  await rejects(t, pool.addRaw(orig.serialize()), TXPOOL_ERROR.ALREADY_KNOWN, 'same tx again')
  const low = tx1559(A, { nonce: 0n, maxFee: 109n * GWEI, tip: 11n * GWEI })
  await rejects(t, pool.addRaw(low.serialize()), TXPOOL_ERROR.REPLACEMENT_UNDERPRICED, 'max fee +9%')
  const tipOnly = tx1559(A, { nonce: 0n, maxFee: 100n * GWEI, tip: 20n * GWEI })
  await rejects(t, pool.addRaw(tipOnly.serialize()), TXPOOL_ERROR.REPLACEMENT_UNDERPRICED, 'only the tip bumped')
  const ok = tx1559(A, { nonce: 0n, maxFee: 110n * GWEI, tip: 11n * GWEI })
  await pool.addRaw(ok.serialize())
  t.equal(pool.get(orig.hash()), undefined, 'replaced tx is gone')
  t.ok(pool.get(ok.hash()), 'replacement is in')
  t.same(pool.status(), { pending: 1, queued: 0 })

  const legacy = txLegacy(B, { nonce: 0n, gasPrice: 10n * GWEI })
  await pool.addRaw(legacy.serialize())
  await rejects(t, pool.addRaw(txLegacy(B, { nonce: 0n, gasPrice: 10n * GWEI + 1n }).serialize()), TXPOOL_ERROR.REPLACEMENT_UNDERPRICED, 'legacy +tiny')
  await pool.addRaw(txLegacy(B, { nonce: 0n, gasPrice: 11n * GWEI }).serialize())
  t.same(pool.status(), { pending: 2, queued: 0 })
})

t.test('each rejection has its own code', async (t) => {
  const chain = await createFakeChain({ keys: KEYS, gasLimit: 1_000_000n })
  await chain.setAccount(addressOf(C), 21_000n * 10n * GWEI)
  await chain.setAccount(addressOf(B), 10n ** 21n, 5n)
  const pool = await createTxPool({ chain, minTip: 2n })
  t.teardown(() => pool.close())
  const cases: [string, Uint8Array, string][] = [
    ['nonce too low', tx1559(B, { nonce: 4n }).serialize(), TXPOOL_ERROR.NONCE_TOO_LOW],
    ['nonce too high', tx1559(B, { nonce: 5n + 65n }).serialize(), TXPOOL_ERROR.NONCE_TOO_HIGH],
    ['insufficient funds', tx1559(C, { nonce: 0n, value: 1n }).serialize(), TXPOOL_ERROR.INSUFFICIENT_FUNDS],
    ['gas above block limit', tx1559(A, { nonce: 0n, gasLimit: 1_000_001n }).serialize(), TXPOOL_ERROR.GAS_LIMIT_EXCEEDED],
    ['intrinsic gas', tx1559(A, { nonce: 0n, gasLimit: 20_999n }).serialize(), TXPOOL_ERROR.INTRINSIC_GAS_TOO_LOW],
    ['tip below minimum', tx1559(A, { nonce: 0n, tip: 1n }).serialize(), TXPOOL_ERROR.UNDERPRICED],
    ['max fee below base fee', tx1559(A, { nonce: 0n, maxFee: 100n, tip: 100n }).serialize(), TXPOOL_ERROR.UNDERPRICED],
    ['oversized', tx1559(A, { nonce: 0n, gasLimit: 900_000n, data: new Uint8Array(128 * 1024) }).serialize(), TXPOOL_ERROR.OVERSIZED],
    ['wrong chain id', tx1559(A, { nonce: 0n, chainId: 1n }).serialize(), TX_ERROR.WRONG_CHAIN_ID],
    ['malformed', hexToBytes('0x02c0ffee'), TX_ERROR.MALFORMED],
    ['garbage', hexToBytes('0xdeadbeef'), TX_ERROR.MALFORMED],
  ]
  for (const [name, raw, code] of cases) await rejects(t, pool.addRaw(raw), code, name)

  // pre-EIP-155 legacy tx: v = 27/28
  const unprotected = createLegacyTx(
    { nonce: 0n, gasPrice: 10n * GWEI, gasLimit: 21_000n, to: addressOf(B), value: 1n },
    { common: createCustomCommon({ chainId: 1337 }, Mainnet, { hardfork: 'homestead' }) },
  ).sign(A)
  t.ok(unprotected.v === 27n || unprotected.v === 28n, 'v is 27 or 28')
  await rejects(t, pool.addRaw(unprotected.serialize()), TX_ERROR.NOT_EIP155, 'pre-155 legacy')
  // a blob tx type byte
  await rejects(t, pool.addRaw(Uint8Array.from([3, ...RLP.encode([1n, 0n])])), TX_ERROR.BLOB_UNSUPPORTED, 'blob')
  // a tampered signature
  const raw = tx1559(A, { nonce: 0n }).serialize()
  const fields = RLP.decode(raw.subarray(1)) as Uint8Array[]
  fields[11] = new Uint8Array(32).fill(0xff)
  await rejects(t, pool.addRaw(Uint8Array.from([2, ...RLP.encode(fields)])), TX_ERROR.INVALID_SIGNATURE, 'bad signature')
  t.same(pool.status(), { pending: 0, queued: 0 }, 'nothing got in')
})

t.test('per-sender limit', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain, maxPerSender: 3 })
  t.teardown(() => pool.close())
  for (let n = 0n; n < 3n; n++) await pool.addRaw(tx1559(A, { nonce: n }).serialize())
  await rejects(t, pool.addRaw(tx1559(A, { nonce: 3n }).serialize()), TXPOOL_ERROR.SENDER_LIMIT, '4th tx')
  // replacement is still allowed at the limit
  await pool.addRaw(tx1559(A, { nonce: 1n, maxFee: 20n * GWEI, tip: 2n * GWEI }).serialize())
  t.same(pool.status(), { pending: 3, queued: 0 })
})

t.test('global pending limit evicts the cheapest tail, never a lower nonce first', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain, maxPending: 3 })
  t.teardown(() => pool.close())
  const a0 = tx1559(A, { nonce: 0n, tip: 5n * GWEI })
  const a1 = tx1559(A, { nonce: 1n, tip: 1n * GWEI })
  const b0 = tx1559(B, { nonce: 0n, tip: 2n * GWEI })
  for (const tx of [a0, a1, b0]) await pool.addRaw(tx.serialize())
  // C pays 3 gwei: the cheapest evictable tail is a1 (1 gwei); a0 stays
  const c0 = tx1559(C, { nonce: 0n, tip: 3n * GWEI })
  await pool.addRaw(c0.serialize())
  t.equal(pool.get(a1.hash()), undefined, 'a1 evicted')
  t.ok(pool.get(a0.hash()), 'a0 kept')
  t.same(pool.status(), { pending: 3, queued: 0 })
  // a tx cheaper than every evictable tail is refused
  await rejects(t, pool.addRaw(tx1559(KEYS[3]!, { nonce: 0n, tip: 1n * GWEI }).serialize()), TXPOOL_ERROR.POOL_FULL, 'cheapest newcomer')
  t.same(pool.status(), { pending: 3, queued: 0 })
  // a higher-nonce tx of a rich sender cannot push out its own lower nonce
  await pool.addRaw(tx1559(B, { nonce: 1n, tip: 9n * GWEI }).serialize())
  const left = pool.content().pending
  for (const [sender, txs] of left) {
    t.same(
      txs.map((p) => p.tx.nonce),
      txs.map((_, i) => BigInt(i)),
      `sender ${sender} keeps a nonce-contiguous prefix`,
    )
  }
  t.same(pool.status(), { pending: 3, queued: 0 })
})

t.test('global queued limit evicts the cheapest queued tail', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain, maxQueued: 2 })
  t.teardown(() => pool.close())
  const a5 = tx1559(A, { nonce: 5n, tip: 1n * GWEI })
  const a6 = tx1559(A, { nonce: 6n, tip: 4n * GWEI })
  await pool.addRaw(a5.serialize())
  await pool.addRaw(a6.serialize())
  const b3 = tx1559(B, { nonce: 3n, tip: 2n * GWEI })
  // tails would be a6 (4 gwei) and b3 (2 gwei): the newcomer is the cheapest
  await rejects(t, pool.addRaw(b3.serialize()), TXPOOL_ERROR.POOL_FULL, 'cheap queued newcomer')
  t.same(pool.status(), { pending: 0, queued: 2 })
  t.ok(pool.get(a5.hash()) && pool.get(a6.hash()), 'A keeps 5 and 6')
  t.equal(pool.get(b3.hash()), undefined, 'b3 not kept')
  const b4 = tx1559(B, { nonce: 3n, tip: 9n * GWEI })
  await pool.addRaw(b4.serialize())
  t.equal(pool.get(a6.hash()), undefined, 'a6 (tail of A) evicted before a5')
  t.ok(pool.get(a5.hash()), 'a5 kept')
})

t.test('a refused newcomer leaves the pool as it was: its sender keeps its queued txs', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain, maxPending: 2 })
  t.teardown(() => pool.close())
  const announced: string[] = []
  pool.on('pending', (p) => announced.push(bytesToHex(p.hash)))
  // A: nonce 0 pending, nonce 3 queued (gap at 1 and 2); B: nonce 0 pending
  const a0 = tx1559(A, { nonce: 0n, tip: 5n * GWEI })
  const a3 = tx1559(A, { nonce: 3n, tip: 5n * GWEI })
  const b0 = tx1559(B, { nonce: 0n, tip: 5n * GWEI })
  for (const tx of [a0, a3, b0]) await pool.addRaw(tx.serialize())
  t.same(pool.status(), { pending: 2, queued: 1 })
  // a1 becomes A's pending tail and is the cheapest: it alone is refused, a3 stays queued
  const a1 = tx1559(A, { nonce: 1n, tip: 1n * GWEI })
  await rejects(t, pool.addRaw(a1.serialize()), TXPOOL_ERROR.POOL_FULL, 'cheapest pending newcomer')
  t.ok(pool.get(a3.hash()), 'a3 (queued above the refused a1) is still pooled')
  t.equal(pool.get(a1.hash()), undefined, 'a1 refused')
  t.same(pool.status(), { pending: 2, queued: 1 })
  t.same(
    hexes(
      pool
        .content()
        .queued.get(bytesToHex(addressOf(A)))!
        .map((p) => p.tx),
    ),
    hexes([a3]),
  )

  // a newcomer that promotes its sender's queued txs, gets some of them evicted, then is evicted
  // itself: everything evicted on its behalf comes back
  const c0 = tx1559(C, { nonce: 0n, tip: 5n * GWEI })
  const c2 = tx1559(C, { nonce: 2n, tip: 1n * GWEI })
  const pool2 = await createTxPool({ chain, maxPending: 3 })
  t.teardown(() => pool2.close())
  const announced2: string[] = []
  pool2.on('pending', (p) => announced2.push(bytesToHex(p.hash)))
  for (const tx of [c0, c2, b0]) await pool2.addRaw(tx.serialize())
  const b1 = tx1559(B, { nonce: 1n, tip: 3n * GWEI })
  await pool2.addRaw(b1.serialize())
  t.same(pool2.status(), { pending: 3, queued: 1 })
  const before = [...announced2]
  // c1 (2 gwei) makes C's pending c0, c1, c2 (5 pending > 3): c2 (1 gwei) goes first, then c1 itself
  const c1 = tx1559(C, { nonce: 1n, tip: 2n * GWEI })
  await rejects(t, pool2.addRaw(c1.serialize()), TXPOOL_ERROR.POOL_FULL, 'newcomer evicted after its promoted tail')
  t.ok(pool2.get(c2.hash()), "c2, evicted on the refused newcomer's behalf, is back")
  t.same(pool2.status(), { pending: 3, queued: 1 }, 'counters as before')
  t.same(announced2, before, 'nothing announced for the refused attempt')
  t.same(announced, hexes([a0, b0]))
})

t.test("overdraft: the balance must cover the sender's pending txs before this one (geth rule)", async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  // one tx costs 21,000 gas * 10 gwei max fee + 1 wei; C can pay two and a half of them
  const unit = 21_000n * 10n * GWEI + 1n
  await chain.setAccount(addressOf(C), (5n * unit) / 2n)
  const pool = await createTxPool({ chain })
  t.teardown(() => pool.close())
  await pool.addRaw(tx1559(C, { nonce: 0n }).serialize())
  await pool.addRaw(tx1559(C, { nonce: 1n }).serialize())
  // each alone is affordable, three together are not
  const third = tx1559(C, { nonce: 2n })
  await t.rejects(
    pool.addRaw(third.serialize()),
    { code: TXPOOL_ERROR.OVERDRAFT, message: /insufficient funds for gas \* price \+ value: balance \d+, queued cost \d+, overshot \d+/ },
    'third pending tx',
  )
  await rejects(t, pool.addRaw(tx1559(C, { nonce: 5n }).serialize()), TXPOOL_ERROR.OVERDRAFT, 'a queued tx counts the pending ones below it')
  await rejects(t, pool.addRaw(tx1559(C, { nonce: 0n, value: 3n * unit }).serialize()), TXPOOL_ERROR.INSUFFICIENT_FUNDS, 'unaffordable on its own')
  // a replacement swaps its cost for the replaced one: c1 at 11 gwei still fits (10 + 11 units of 21k gas)
  const c1b = tx1559(C, { nonce: 1n, maxFee: 11n * GWEI, tip: 2n * GWEI })
  await pool.addRaw(c1b.serialize())
  t.ok(pool.get(c1b.hash()), 'affordable replacement accepted')
  // replacing c0 at 20 gwei: c0' alone fits, but c1' behind it stays pending and counts
  await rejects(
    t,
    pool.addRaw(tx1559(C, { nonce: 0n, maxFee: 20n * GWEI, tip: 2n * GWEI }).serialize()),
    TXPOOL_ERROR.OVERDRAFT,
    'replacement that overdraws the txs behind it',
  )
  t.same(pool.status(), { pending: 2, queued: 0 })
})

t.test('a new head removes included txs, drops stale and unaffordable ones, promotes', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain, fullRevalidationEvery: 2 })
  t.teardown(() => pool.close())
  const a0 = tx1559(A, { nonce: 0n })
  const a1 = tx1559(A, { nonce: 1n })
  const b0 = tx1559(B, { nonce: 0n })
  const b1 = tx1559(B, { nonce: 1n })
  const c1 = tx1559(C, { nonce: 1n })
  for (const tx of [a0, a1, b0, b1, c1]) await pool.addRaw(tx.serialize())
  t.same(pool.status(), { pending: 4, queued: 1 })
  // B's nonce 0 gets mined from elsewhere (a different tx), C's 0 too, A's 0 via the pool
  const other = tx1559(B, { nonce: 0n, value: 7n })
  const c0 = tx1559(C, { nonce: 0n })
  await chain.buildBlock([a0, other, c0], { timestamp: 1_001n })
  // included are removed synchronously with the head event
  t.equal(pool.get(a0.hash()), undefined, 'a0 gone at once')
  await pool.idle()
  t.equal(pool.get(b0.hash()), undefined, 'stale b0 dropped')
  t.ok(pool.get(b1.hash()), 'b1 stays')
  t.same(pool.status(), { pending: 3, queued: 0 }, 'c1 promoted')
  // A becomes too poor for a1 without a tx of its own: caught by the full pass every 2nd head
  await chain.setAccount(addressOf(A), 1n, 1n)
  await chain.buildBlock([], { timestamp: 1_002n })
  await pool.idle()
  t.equal(pool.get(a1.hash()), undefined, 'unaffordable a1 dropped')
  // B's balance drops through a block tx of B that the pool never saw: revalidated at once
  const b2x = tx1559(B, { nonce: 2n, tip: 3n * GWEI })
  await pool.addRaw(b2x.serialize())
  await chain.setAccount(addressOf(B), 10n ** 15n, 2n)
  const fromElsewhere = tx1559(B, { nonce: 2n, value: 1n, tip: 5n * GWEI })
  await chain.buildBlock([fromElsewhere], { timestamp: 1_003n })
  await pool.idle()
  t.equal(pool.get(b2x.hash()), undefined, 'b2 mined elsewhere: dropped as stale')
  t.ok(pool.get(b1.hash()) === undefined, 'b1 (nonce 1 < 3) dropped as stale')
  t.same(pool.status(), { pending: 1, queued: 0 }, 'only c1 left')
  // remove() drops by hash, later nonces become queued
  const c2 = tx1559(C, { nonce: 2n })
  const c3 = tx1559(C, { nonce: 3n })
  await pool.addRaw(c2.serialize())
  await pool.addRaw(c3.serialize())
  t.equal(pool.remove([c2.hash(), hexToBytes(`0x${'11'.repeat(32)}`)]), 1)
  t.same(pool.status(), { pending: 1, queued: 1 })
})

t.test('journal: the pool survives a restart, invalid txs are dropped on replay', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'txpool-journal-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const journalPath = join(dir, 'txpool.journal')
  const chain = await createFakeChain({ keys: KEYS })
  const pool1 = await createTxPool({ chain, journalPath })
  const txs = [tx1559(A, { nonce: 0n }), tx1559(A, { nonce: 1n }), tx1559(B, { nonce: 0n }), tx1559(C, { nonce: 3n })]
  for (const tx of txs) await pool1.addRaw(tx.serialize())
  // a replacement leaves the old one in the append-only file until compaction
  const bReplacement = tx1559(B, { nonce: 0n, maxFee: 20n * GWEI, tip: 2n * GWEI })
  await pool1.addRaw(bReplacement.serialize())
  await pool1.close()
  t.equal(chain.listenerCount('head'), 0, 'close unsubscribes')
  await t.rejects(pool1.addRaw(tx1559(A, { nonce: 2n }).serialize()), { code: TXPOOL_ERROR.CLOSED })

  // A's nonce 0 gets mined while the node is down; a torn record is appended
  await chain.setAccount(addressOf(A), 10n ** 21n, 1n)
  await appendFile(journalPath, Uint8Array.from([0, 0, 1, 0, 0xde, 0xad]))
  const pool2 = await createTxPool({ chain, journalPath })
  t.teardown(() => pool2.close())
  t.equal(pool2.get(txs[0]!.hash()), undefined, 'mined tx not restored')
  t.ok(pool2.get(txs[1]!.hash()), 'a1 restored')
  t.ok(pool2.get(bReplacement.hash()), 'replacement restored')
  t.equal(pool2.get(txs[2]!.hash()), undefined, 'replaced tx not restored')
  t.same(pool2.status(), { pending: 2, queued: 1 })
  // the file was compacted to exactly the 3 live txs
  const buf = await readFile(journalPath)
  let off = 0
  let records = 0
  while (off < buf.length) {
    off += 4 + buf.readUInt32BE(off)
    records++
  }
  t.equal(records, 3, 'compacted journal')
  t.equal(off, buf.length, 'no torn tail left')
})

t.test('options are validated', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  await t.rejects(createTxPool({ chain, maxPending: 0 }), { code: TXPOOL_ERROR.INVALID_OPTION })
  await t.rejects(createTxPool({ chain, minTip: -1n }), { code: TXPOOL_ERROR.INVALID_OPTION })
  t.equal(defaultTxPoolOptions.maxTxBytes, 131_072)
})

t.test('add() takes a decoded tx', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool: TxPool = await createTxPool({ chain })
  t.teardown(() => pool.close())
  const tx = createFeeMarket1559Tx(
    { nonce: 0n, maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI, gasLimit: 21_000n, to: addressOf(B) },
    { common: makeCommon() },
  ).sign(A)
  t.equal(bytesToHex(await pool.add(tx)), bytesToHex(tx.hash()))
})

t.test('a chain rewind (--dev evm_revert): every sender is checked again at the old head; mined txs do not come back', async (t) => {
  const chain = await createFakeChain({ keys: KEYS })
  const pool = await createTxPool({ chain })
  t.teardown(() => pool.close())
  const genesis = chain.head()
  const a0 = tx1559(A, { nonce: 0n })
  await pool.addRaw(a0.serialize())
  await chain.buildBlock(pool.pendingForBlock(genesis.header.calcNextBaseFee()), { timestamp: 1_001n })
  await pool.idle()
  const a1 = tx1559(A, { nonce: 1n })
  const b0 = tx1559(B, { nonce: 0n })
  await pool.addRaw(a1.serialize())
  await pool.addRaw(b0.serialize())
  t.same(pool.status(), { pending: 2, queued: 0 }, 'a1 follows the mined a0')
  // the fake keeps one state: put A back as it was at genesis, then rewind
  await chain.setAccount(addressOf(A), 10n ** 21n, 0n)
  await chain.rewindTo(genesis.hash())
  await pool.idle()
  t.same(pool.status(), { pending: 1, queued: 1 }, 'a1 is queued again behind the nonce the rewind gave back; b0 stays pending')
  t.equal(pool.get(a0.hash()), undefined, 'the mined a0 is not put back (as anvil drops them)')
  t.same(hexes(pool.pendingForBlock(genesis.header.calcNextBaseFee())), hexes([b0]))
  // the pool validates against the old head again: a0 may be sent anew
  await pool.addRaw(a0.serialize())
  t.same(pool.status(), { pending: 3, queued: 0 })
})
