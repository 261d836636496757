// Deposits are included exactly once across restarts of `--dev --dev.l1` on the same datadir: a
// clean close (in-process; anvil dumps its state and the node reloads it) with a deposit made on
// L1 just before, and kill -9 of a CLI child right after a deposit on L1. A SIGKILLed node runs no
// exit handler; its anvil's watchdog (node/l1/anvil.ts) sees the node's pipe close and stops anvil
// with SIGTERM, which dumps the L1 state into the datadir (it is also dumped every second); the
// restarted node reloads that L1.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { parseEther } from 'viem'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNTS, loadChainSpec } from '../../../genesis/index.ts'
import { DATADIR_SPEC_FILE } from '../../../node/config/index.ts'
import { DEV_L1_STATE_FILE } from '../../../node/l1/index.ts'
import { poll } from '../../fixtures/poll.ts'
import { startNode, stopCleanly, tempDir } from '../cli/cliProcess.ts'
import type { Run } from '../cli/cliProcess.ts'
import { alive, anvilOf } from './anvilProcess.ts'
import { depositOpen, waitForL2 } from './bridgeFlows.ts'
import { bridgeClients, startBridgeNode } from './bridgeHarness.ts'
import type { BridgeHarness } from './bridgeHarness.ts'

/** How many times each hash occurs among the txs of L2 blocks 0..head, and how many deposits the chain holds in all. */
async function occurrences(l2: BridgeHarness['l2'], hashes: Hex[]): Promise<{ counts: Map<Hex, number>; duplicates: Hex[] }> {
  const counts = new Map<Hex, number>(hashes.map((hash) => [hash, 0]))
  const seen = new Set<Hex>()
  const duplicates: Hex[] = []
  const head = await l2.getBlockNumber()
  for (let n = 0n; n <= head; n++) {
    for (const hash of (await l2.getBlock({ blockNumber: n })).transactions) {
      if (counts.has(hash)) counts.set(hash, counts.get(hash)! + 1)
      if (seen.has(hash)) duplicates.push(hash)
      seen.add(hash)
    }
  }
  return { counts, duplicates }
}

/** Assert each of `hashes` is in exactly one block and no tx hash occurs twice on the chain. */
async function assertExactlyOnce(t: Test, l2: BridgeHarness['l2'], hashes: Hex[]): Promise<void> {
  const { counts, duplicates } = await occurrences(l2, hashes)
  for (const [i, hash] of hashes.entries()) t.equal(counts.get(hash), 1, `deposit ${i} (${hash}) is in exactly one block`)
  t.same(duplicates, [], 'no tx hash occurs twice on the chain')
}

t.test('clean restart: a deposit made on L1 just before the close is included once, after it', async (t) => {
  const datadir = tempDir(t, 'ol-bridge-restart-')
  const first = await startBridgeNode(t, { datadir })
  const user = first.accounts[4]!
  const genesisBalance = await first.l2.getBalance({ address: user.address, blockNumber: 0n })
  const before = await depositOpen(first, user, { to: user.address, mint: parseEther('1') })
  await waitForL2(first, before.l2Hash)
  const racing = await depositOpen(first, user, { to: user.address, mint: parseEther('2') })
  await first.close()

  const second = await startBridgeNode(t, { datadir })
  t.equal(second.rollup.depositContract.toLowerCase(), first.rollup.depositContract.toLowerCase(), 'the same L1 deployment (anvil state reloaded)')
  t.ok(await second.l1.getCode({ address: second.rollup.depositContract }), 'the portal is on the restarted L1')
  await waitForL2(second, racing.l2Hash)
  const after = await depositOpen(second, user, { to: user.address, mint: parseEther('3') })
  const last = await waitForL2(second, after.l2Hash)
  await assertExactlyOnce(t, second.l2, [before.l2Hash, racing.l2Hash, after.l2Hash])
  t.equal(
    await second.l2.getBalance({ address: user.address, blockNumber: last.blockNumber }),
    genesisBalance + parseEther('6'),
    'the depositor holds its genesis OPEN + 1 + 2 + 3, each mint once',
  )
})

/** The bridge clients of a CLI node child: spec from its datadir, L1 URL from its --dev banner. */
function childClients(run: Run, url: string, datadir: string) {
  const l1Url = /L1 RPC:\s+(\S+)/.exec(run.out())?.[1]
  if (l1Url === undefined) throw new Error(`no L1 RPC line in the --dev banner:\n${run.out().slice(-2000)}`)
  return bridgeClients({ spec: loadChainSpec(join(datadir, DATADIR_SPEC_FILE)), rpcUrl: url, l1Url })
}

t.test('kill -9 right after an L1 deposit: included exactly once after the restart', async (t) => {
  const datadir = tempDir(t, 'ol-bridge-kill-')
  const statePath = join(datadir, DEV_L1_STATE_FILE)
  const args = ['node', '--dev', '--dev.l1', '--datadir', datadir, '--rpc.port', '0', '--log.format', 'json']
  const first = await startNode(t, args)
  const user = privateKeyToAccount(DEV_ACCOUNTS[7]!.privateKey as Hex)
  const deposit = await depositOpen(childClients(first.run, first.url, datadir), user, { to: user.address, mint: parseEther('5') })
  first.run.child.kill('SIGKILL')
  await first.run.exit

  // no anvil outlives the SIGKILLed node: its watchdog stops it
  t.teardown(() => {
    const left = anvilOf(statePath)
    if (left !== undefined && alive(left)) process.kill(left, 'SIGKILL')
  })
  await poll(
    () => {
      const left = anvilOf(statePath)
      return left === undefined || !alive(left)
    },
    { timeoutMs: 10_000, intervalMs: 50, what: 'the anvil of the SIGKILLed node to stop' },
  )
  t.pass('the anvil of the SIGKILLed node stopped')
  t.ok(existsSync(statePath), 'its L1 state is in the datadir')

  const second = await startNode(t, args)
  const c2 = childClients(second.run, second.url, datadir)
  const receipt = await waitForL2(c2, deposit.l2Hash)
  t.equal(receipt.status, 'success', 'the deposit is on L2 after the restart')
  await assertExactlyOnce(t, c2.l2, [deposit.l2Hash])
  await stopCleanly(t, second.run)
})
