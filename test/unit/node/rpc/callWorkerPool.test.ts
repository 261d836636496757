// eth_call on worker threads: the same answers as the node's own simulator, the head followed,
// and a stopped pool falling back to the main thread. Real chain on LevelDB in a temp dir.
import { join } from 'node:path'
import { bigIntToBytes, bytesToBigInt, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import { pino } from 'pino'
import t from 'tap'
import { createChain } from '../../../../node/chain/index.ts'
import { createNodeRpcBackend } from '../../../../node/rpc/index.ts'
import { createCallWorkerPool } from '../../../../node/rpc/callWorkerPool.ts'
import { createTxPool } from '../../../../node/txpool/index.ts'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'

// runtime: slot0 += 1; return slot0
const COUNTER = '0x00000000000000000000000000000000000c0117'
const accounts = testAccounts(1, 'call-workers')
const spec = createTestSpec({ accounts, extraAlloc: { [COUNTER]: { balance: 0n, code: '0x6000546001018060005560005260206000f3' } } })
const dir = await tempDir(t, 'openledger-workers-')
const logger = pino({ level: 'silent' })
const chain = await createChain({ dataDir: join(dir, 'node'), spec, logger })
t.teardown(() => chain.close())
const counter = createAddressFromString(COUNTER)
const gasCap = 50_000_000n
const word = (r: { returnData: Uint8Array }) => bytesToBigInt(r.returnData)
const from = (i: number): Uint8Array => setLengthLeft(bigIntToBytes(BigInt(0x2000 + i)), 20)

t.test('workers answer as the node does, follow the head, and fall back when stopped', async (t) => {
  const pool = createCallWorkerPool({ chain, logger, workers: 2 })
  t.teardown(() => pool.close())
  await pool.ready()
  const at = chain.head().header.number
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.call({ from: from(i), to: counter.bytes }, at, gasCap)))
  for (const [i, r] of answers.entries()) t.equal(r === undefined ? undefined : word(r), 1n, `call ${i} ran on a worker, on its own overlay`)
  const tx = signed1559(chain.common, accounts[0]!, { nonce: 0n, to: counter, gasLimit: 100_000n })
  await chain.buildBlock([tx], { timestamp: chain.head().header.timestamp + 1n })
  const next = await pool.call({ to: counter.bytes }, chain.head().header.number, gasCap)
  t.equal(next === undefined ? undefined : word(next), 2n, 'the new head reached the workers')
  const reverted = await pool.call({ to: counter.bytes, gas: 21_100n }, chain.head().header.number, gasCap)
  t.equal(reverted?.error, 'out of gas', 'halts come back as results')
  await pool.close()
  t.equal(pool.call({ to: counter.bytes }, chain.head().header.number, gasCap), undefined, 'a stopped pool takes no calls')
})

t.test('the backend routes plain head calls to its workers and everything else to the main thread', async (t) => {
  const txpool = await createTxPool({ chain, logger })
  const backend = createNodeRpcBackend({ chain, txpool, logger, callWorkers: 1 })
  t.teardown(async () => {
    await backend.close()
    await txpool.close()
  })
  const at = chain.head().header.number
  t.equal(word(await backend.call({ to: counter.bytes }, { at, gasCap })), 2n, 'a plain head call')
  const slot = setLengthLeft(new Uint8Array(0), 32)
  const overridden = await backend.call(
    { to: counter.bytes },
    { at, gasCap, stateOverrides: new Map([[COUNTER, { stateDiff: [[slot, setLengthLeft(bigIntToBytes(9n), 32)]] }]]) },
  )
  t.equal(word(overridden), 10n, 'a call with overrides (main thread)')
  t.equal(word(await backend.call({ to: counter.bytes }, { at: at - 1n, gasCap })), 1n, 'a call at an older block (main thread)')
})
