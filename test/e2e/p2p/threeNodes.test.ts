// One sequencer and validators as `openledger` child processes on 127.0.0.1: txs sent to a
// validator land in blocks, every node reaches the same head and state root; a validator killed
// with -9 catches up by range sync, a partitioned one after it heals, a fresh one started after
// 500 blocks syncs from genesis. (Export from a sequencer's datadir and import into a fresh one:
// test/e2e/cli/exportImport.test.ts.)
import t from 'tap'
import { poll } from '../../fixtures/poll.ts'
import { POLL_MS, rpc, stopCleanly } from '../cli/cliProcess.ts'
import { SYNC_DEADLINE_MS, head, mineUntil, listenAddrs, peerCount, receipt, sameHead, sendTransfer, startSequencer, startValidator } from './networkHarness.ts'

t.test('a sequencer and validators over libp2p', async (suite) => {
  const seq = await startSequencer(suite)
  const bootnodes = await listenAddrs(seq.url)
  suite.ok(
    bootnodes.length > 0 && bootnodes.every((a) => a.startsWith('/ip4/127.0.0.1/tcp/') && a.includes('/p2p/')),
    'admin_nodeInfo: a dialable multiaddr with the peer id',
  )
  const [v1, v2] = await Promise.all([startValidator(suite, bootnodes), startValidator(suite, bootnodes)])
  await poll(async () => (await peerCount(seq.url)) >= 2 || undefined, { timeoutMs: SYNC_DEADLINE_MS, intervalMs: POLL_MS, what: 'two peers on the sequencer' })
  suite.ok((await peerCount(v1.url)) >= 1, 'net_peerCount is real on a validator')

  await suite.test('txs sent to a validator are gossiped to the sequencer and land in blocks everywhere', async (t) => {
    const hashes: string[] = []
    for (let i = 0; i < 4; i++) hashes.push(await sendTransfer(v1.url, 1))
    const last = await receipt(seq.url, hashes.at(-1)!)
    t.equal(last.status, '0x1', 'the sequencer included them')
    const common = await sameHead([seq.url, v1.url, v2.url], BigInt(last.blockNumber))
    t.ok(common.number >= 1n, `all three at block ${common.number} with one hash and state root`)
    for (const hash of hashes) t.equal((await receipt(v2.url, hash)).status, '0x1', 'the other validator holds the receipt')
  })

  await suite.test('kill -9 a validator while blocks keep coming: it catches up by range sync, then follows', async (t) => {
    v2.run.child.kill('SIGKILL')
    await v2.run.exit
    for (let i = 0; i < 6; i++) await receipt(seq.url, await sendTransfer(seq.url, 2))
    const target = await head(seq.url)
    // it outlives this subtest: its teardown belongs to the suite
    const restarted = await startValidator(suite, bootnodes, v2.datadir)
    const caught = await sameHead([seq.url, restarted.url], target.number)
    t.ok(caught.number >= target.number, `caught up to ${caught.number}`)
    const hash = await sendTransfer(restarted.url, 3)
    const landed = await receipt(seq.url, hash)
    await sameHead([seq.url, v1.url, restarted.url], BigInt(landed.blockNumber))
    t.pass('following gossip again (its own tx included and imported)')
    v2.run = restarted.run
    v2.url = restarted.url
  })

  await suite.test('a partitioned validator (stopped, unreachable) catches up when it heals', async (t) => {
    v1.run.child.kill('SIGSTOP')
    try {
      for (let i = 0; i < 5; i++) await receipt(seq.url, await sendTransfer(seq.url, 2))
    } finally {
      v1.run.child.kill('SIGCONT')
    }
    const target = await head(seq.url)
    const caught = await sameHead([seq.url, v1.url, v2.url], target.number)
    t.ok(caught.number >= target.number, `healed at ${caught.number}`)
  })

  await suite.test('a fresh validator started after 500 blocks syncs from genesis', async (t) => {
    await mineUntil(seq.url, 500n, 4)
    const target = await head(seq.url)
    const fresh = await startValidator(t, bootnodes)
    const synced = await sameHead([seq.url, fresh.url], target.number)
    t.ok(synced.number >= 500n, `synced ${synced.number} blocks`)
    const sample = (await rpc(fresh.url, 'eth_getBlockByNumber', ['0x100', false])) as { hash: string }
    t.equal(sample.hash, ((await rpc(seq.url, 'eth_getBlockByNumber', ['0x100', false])) as { hash: string }).hash, 'block 256 is the same block')
    await stopCleanly(t, fresh.run)
  })
})
